package cli_test

import (
	"context"
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
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"shequ/ui/cli"
)

// lockedBuffer is a buffer a running server writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serve starts `shequ serve` until the test ends and returns its address.
func serve(t *testing.T, e *env, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	ce := &cli.Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return e.vars[k] }, OpenApp: e.openApp, OpenServer: openServer}
	done := make(chan int, 1)
	go func() { done <- cli.Run(ctx, ce, append([]string{"serve"}, args...)) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("shequ serve does not stop")
		}
	})
	re := regexp.MustCompile(`https?://127\.0\.0\.1:\d+`)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if u := re.FindString(out.String()); u != "" {
			return u
		}
		select {
		case code := <-done:
			t.Fatalf("shequ serve ended (%d): %s %s", code, out.String(), errOut.String())
		default:
		}
	}
	t.Fatalf("shequ serve did not start: %s", errOut.String())
	return ""
}

// A desktop database served as it is becomes the server's; a new file
// synced from it becomes a replica; changes go both ways; devices are
// listed and revoked from the command line.
func TestServeAndSync(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	server := filepath.Join(dir, "server.db")
	expect(t, e.run(t, "init", "--db", server, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", server, "--user", "admin", "--residents", "150"), 0, nil, nil)
	// TLS is the default: without a certificate, or plain HTTP on a
	// public address, the server does not start.
	expect(t, e.run(t, "serve", "--store", "sqlite:"+server, "--listen", "127.0.0.1:0"), 1, nil, []string{"TLS"})
	expect(t, e.run(t, "serve", "--store", "sqlite:"+server, "--listen", "0.0.0.0:0", "--insecure-loopback"), 1, nil, []string{"回环"})
	url := serve(t, e, "--store", "sqlite:"+server, "--listen", "127.0.0.1:0", "--insecure-loopback")

	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	expect(t, e.run(t, "sync", "--db", a, "--server", url, "--user", "admin"), 0, []string{"已成为服务器的副本", "拉取"}, nil)
	expect(t, e.run(t, "sync", "--db", b, "--server", url, "--user", "admin"), 0, []string{"已成为服务器的副本"}, nil)
	r := e.run(t, "residents", "--db", a, "--user", "admin", "--limit", "1", "--status", "all")
	expect(t, r, 0, []string{"共 150 人"}, nil)
	// A wrong password leaves no file behind.
	e2 := newEnv(t)
	e2.vars["SHEQU_PASSWORD"] = "Wrong123!"
	c := filepath.Join(dir, "c.db")
	expect(t, e2.run(t, "sync", "--db", c, "--server", url, "--user", "admin"), 1, nil, []string{"用户名或密码不对"})
	if _, err := os.Stat(c); err == nil {
		t.Error("a failed first sync left a database file")
	}
	expect(t, e.run(t, "sync", "--db", a, "--user", "admin"), 0, []string{"同步完成：上传 0 条"}, nil)
	// A resident deleted on one desktop is gone from the other after both sync.
	expect(t, e.run(t, "residents", "--db", a, "--user", "admin", "--delete", "1"), 0, []string{"已删除"}, nil)
	expect(t, e.run(t, "sync", "--db", a, "--user", "admin"), 0, []string{"上传 1 条"}, nil)
	expect(t, e.run(t, "sync", "--db", b, "--user", "admin"), 0, nil, nil)
	expect(t, e.run(t, "residents", "--db", b, "--user", "admin", "--limit", "1", "--status", "all"), 0, []string{"共 149 人"}, nil)
	r = e.run(t, "devices", "--store", "sqlite:"+server, "--user", "admin")
	expect(t, r, 0, []string{"共 2 台设备"}, nil)
	node := regexp.MustCompile(`(?m)^([0-9a-f]{32})`).FindStringSubmatch(r.stdout)
	if node == nil {
		t.Fatalf("no device id in %s", r.stdout)
	}
	expect(t, e.run(t, "devices", "--store", "sqlite:"+server, "--user", "admin", "--revoke", node[1]), 0, []string{"已吊销"}, nil)
	ra, rb := e.run(t, "sync", "--db", a, "--user", "admin"), e.run(t, "sync", "--db", b, "--user", "admin")
	if (ra.code == 1) == (rb.code == 1) {
		t.Errorf("after revoking one device: a exits %d, b exits %d", ra.code, rb.code)
	}
	if !strings.Contains(ra.stderr+rb.stderr, "重新登记") {
		t.Errorf("the revoked device is not told to enrol again: %s %s", ra.stderr, rb.stderr)
	}
	live := a
	if ra.code != 0 {
		live = b
	}
	expect(t, e.run(t, "sync", "conflicts", "--db", live, "--user", "admin"), 0, []string{"待处理冲突 0 条"}, nil)
	expect(t, e.run(t, "sync", "--db", live, "--user", "admin", "--conflicts"), 0, []string{"待处理冲突 0 条"}, nil) // the old spelling
	if r := e.run(t, "sync", "conflicts", "--db", live, "--user", "admin", "--json"); r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("sync conflicts --json: %+v", r)
	}
	expect(t, e.run(t, "sync", "resolve", "99", "--db", live, "--user", "admin", "--take", "kept"), 1, nil, []string{"没有编号为 99 的待处理冲突"})

	// A grid worker's account made on the server enrols a desktop of
	// their own, which holds their grid.
	e.vars["SHEQU_NEW_PASSWORD"] = "Grid1234!"
	expect(t, e.run(t, "account", "add", "--store", "sqlite:"+server, "--user", "admin", "--name", "wang", "--role", "grid", "--areas", "第9网格"),
		1, nil, []string{"第9网格"})
	expect(t, e.run(t, "account", "add", "--store", "sqlite:"+server, "--user", "admin", "--name", "wang", "--role", "grid", "--areas", "第1网格"), 0, nil, nil)
	g := newEnv(t)
	g.vars["SHEQU_PASSWORD"] = "Grid1234!"
	wang := filepath.Join(dir, "wang.db")
	expect(t, g.run(t, "sync", "--db", wang, "--server", url, "--user", "wang"), 0, []string{"已成为服务器的副本"}, nil)
	expect(t, g.run(t, "residents", "--db", wang, "--user", "wang", "--limit", "1", "--status", "all"), 0, []string{"共 149 人"}, nil)
}

// TLS as a district runs it: the server with its certificate and key,
// the desktop checking it against the district's CA file.
func TestServeOverTLS(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	server := filepath.Join(dir, "server.db")
	expect(t, e.run(t, "init", "--db", server, "--admin", "admin", "--personal-data"), 0, nil, nil)
	expect(t, e.run(t, "demo", "--db", server, "--user", "admin", "--residents", "50"), 0, nil, nil)
	cert, key := selfSigned(t, dir)
	url := serve(t, e, "--store", "sqlite:"+server, "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key)
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("served at %s", url)
	}
	a := filepath.Join(dir, "a.db")
	expect(t, e.run(t, "sync", "--db", a, "--server", url, "--user", "admin"), 1, nil, []string{"本机不信任服务器的证书"}) // an unknown certificate
	expect(t, e.run(t, "sync", "--db", a, "--server", url, "--user", "admin", "--ca", cert), 0, []string{"已成为服务器的副本"}, nil)
	expect(t, e.run(t, "sync", "--db", a, "--server", strings.Replace(url, "https", "http", 1), "--user", "admin"), 1, nil, nil)
}

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "shequ test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return cert, key
}
