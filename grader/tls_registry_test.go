// A registry in HTTPS with a certificate of a CA made for this test run,
// on 127.0.0.2: the registry client speaks plain HTTP only to 127.0.0.1
// and localhost, so this one is reached as a registry elsewhere is, and
// its certificate must be trusted (certs.d) or the registry listed as
// insecure.

package grader

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"mini/internal/fixture"
)

// startTLSRegistry serves the registry until the test ends, with the
// fixture image as busybox, and returns its host:port and the path of
// its CA's certificate (PEM).
func startTLSRegistry(t *testing.T) (host, caFile string) {
	ca, caKey := newCert(t, nil, nil, true)
	server, serverKey := newCert(t, ca, caKey, false)
	caFile = filepath.Join(t.TempDir(), "ca.crt")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.2: %v", err)
	}
	srv := httptest.NewUnstartedServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	srv.Listener.Close()
	srv.Listener = l
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{server.Raw}, PrivateKey: serverKey}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	host = strings.TrimPrefix(srv.URL, "https://")

	pool := x509.NewCertPool()
	pool.AddCert(ca)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	img, err := fixture.BusyboxImage()
	if err != nil {
		t.Fatal(err)
	}
	ref, err := name.ParseReference(host + "/busybox:latest")
	if err == nil {
		err = remote.Write(ref, img, remote.WithTransport(tr))
	}
	if err != nil {
		t.Fatalf("push the fixture image over TLS: %v", err)
	}
	return host, caFile
}

// newCert makes a certificate signed by parent (self-signed when nil): a
// CA, or a server certificate for 127.0.0.2.
func newCert(t *testing.T, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, isCA bool) (*x509.Certificate, *ecdsa.PrivateKey) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: "mini test registry"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.2")},
	}
	if isCA {
		tmpl.Subject.CommonName = "mini test CA"
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		tmpl.ExtKeyUsage, tmpl.IPAddresses = nil, nil
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}
