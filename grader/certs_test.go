// Certificates and ports for the API's TLS scenario: mkcerts DIR makes a
// CA and what it signs (a server certificate for 127.0.0.1, a client
// certificate), and a client certificate another CA signed, in the file
// names docker and dockerd look for; freeport VAR sets $VAR to a TCP port
// free on 127.0.0.1.

package grader

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func cmdMkcerts(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkcerts DIR")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o755))
	ca, caKey := signCert(ts, "mini test CA", nil, nil, 0)
	other, otherKey := signCert(ts, "another CA", nil, nil, 0)
	writePEM(ts, dir, "ca.pem", ca, nil)
	server, serverKey := signCert(ts, "mini daemon", ca, caKey, x509.ExtKeyUsageServerAuth)
	writePEM(ts, dir, "server-cert.pem", server, serverKey)
	client, clientKey := signCert(ts, "mini client", ca, caKey, x509.ExtKeyUsageClientAuth)
	writePEM(ts, dir, "cert.pem", client, clientKey)
	stranger, strangerKey := signCert(ts, "stranger", other, otherKey, x509.ExtKeyUsageClientAuth)
	writePEM(ts, dir, "stranger-cert.pem", stranger, strangerKey)
}

// signCert makes a certificate parent signs (a self-signed CA when parent
// is nil) for usage; a server's names 127.0.0.1 and localhost.
func signCert(ts *testscript.TestScript, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, usage x509.ExtKeyUsage) (*x509.Certificate, *ecdsa.PrivateKey) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ts.Check(err)
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature}
	if parent == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		parent, parentKey = tmpl, key
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{usage}
	}
	if usage == x509.ExtKeyUsageServerAuth {
		tmpl.IPAddresses, tmpl.DNSNames = []net.IP{net.ParseIP("127.0.0.1")}, []string{"localhost"}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	ts.Check(err)
	cert, err := x509.ParseCertificate(der)
	ts.Check(err)
	return cert, key
}

// writePEM writes the certificate as NAME, and its key, if given, beside
// it as NAME with cert replaced by key (cert.pem, key.pem).
func writePEM(ts *testscript.TestScript, dir, name string, cert *x509.Certificate, key *ecdsa.PrivateKey) {
	ts.Check(os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644))
	if key == nil {
		return
	}
	der, err := x509.MarshalECPrivateKey(key)
	ts.Check(err)
	keyName := name[:len(name)-len("cert.pem")] + "key.pem"
	ts.Check(os.WriteFile(filepath.Join(dir, keyName), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600))
}

func cmdFreeport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport VAR")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ts.Setenv(args[0], strconv.Itoa(port))
}
