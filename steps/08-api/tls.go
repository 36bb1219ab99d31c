// The API over TCP with TLS, as dockerd's --tls and --tlsverify give it.
// Whoever reaches the API is root on the machine, so a TCP listener
// without client certificates is allowed on a loopback address only;
// with --tlsverify, the client must show a certificate the given CA
// signed, and any address may listen: the certificate is the
// authentication the API otherwise lacks.

package api

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// TLSConfig is the server's TLS: its certificate and key, and with
// verify the CA that must have signed each client's certificate.
func TLSConfig(caFile, certFile, keyFile string, verify bool) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load the daemon's certificate %s and key %s: %w", certFile, keyFile, err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if !verify {
		return cfg, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("read the CA of the clients' certificates: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in %s", caFile)
	}
	cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
	return cfg, nil
}

// verifiesClients says whether cfg asks every client for a certificate
// its CA signed.
func verifiesClients(cfg *tls.Config) bool {
	return cfg != nil && cfg.ClientAuth == tls.RequireAndVerifyClientCert
}
