package main

import (
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"
)

// The mirror speaks the network mirror protocol with the hashes the
// release's SHA256SUMS states, and serves nothing but the listed archives.
func TestMirror_servesTheReleaseWithItsChecksums(t *testing.T) {
	dist, _ := fakeDist(t)
	linux := archiveName(testVersion, platform{"linux", "amd64"})
	// Corrupt the archive after the checksums were written: the mirror must
	// still offer the release's hash, so Terraform notices.
	writeFile(t, filepath.Join(dist, linux), "corrupted")
	sums, err := readSums(filepath.Join(dist, sumsName(testVersion)))
	if err != nil {
		t.Fatal(err)
	}
	m, err := newMirror(dist, testVersion, "sums")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	defer srv.Close()
	base := srv.URL + "/" + providerSrc + "/"

	var index struct {
		Versions map[string]struct{} `json:"versions"`
	}
	getJSON(t, base+"index.json", &index)
	if _, ok := index.Versions[testVersion]; !ok || len(index.Versions) != 1 {
		t.Fatalf("index.json versions = %v, want only %s", index.Versions, testVersion)
	}

	var ver struct {
		Archives map[string]mirrorArchive `json:"archives"`
	}
	getJSON(t, base+testVersion+".json", &ver)
	got := ver.Archives["linux_amd64"]
	if got.URL != linux || len(got.Hashes) != 1 || got.Hashes[0] != "zh:"+sums[linux] {
		t.Fatalf("linux_amd64 = %+v, want url %s and hash zh:%s", got, linux, sums[linux])
	}
	if len(ver.Archives) != len(hostPlatforms()) {
		t.Fatalf("%d archives offered, want %d", len(ver.Archives), len(hostPlatforms()))
	}

	for path, want := range map[string]int{
		linux:                 http.StatusOK,
		sumsName(testVersion): http.StatusNotFound, // only archives are files of the mirror
		"../" + linux:         http.StatusNotFound,
		"9.9.9.json":          http.StatusNotFound,
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
		if path == linux && string(body) != "corrupted" {
			t.Errorf("GET %s served %q, not the file as it is", path, body)
		}
	}

	// -hashes files re-hashes what is there, as a tampering mirror would.
	m, err = newMirror(dist, testVersion, "files")
	if err != nil {
		t.Fatal(err)
	}
	if h := m.archives["linux_amd64"].Hashes[0]; h != "zh:"+sha256File(t, filepath.Join(dist, linux)) {
		t.Fatalf("files mode offered %s, not the archive's own hash", h)
	}
}

// Terraform only trusts the mirror through the CA the script hands it.
func TestLoopbackCert_verifiesFor127001Only(t *testing.T) {
	caPEM, cert, err := newLoopbackCert(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("the CA PEM does not parse")
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "127.0.0.1"}); err != nil {
		t.Fatalf("the server certificate does not verify for 127.0.0.1: %v", err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "example.com"}); err == nil {
		t.Fatal("the server certificate verifies for example.com")
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: x509.NewCertPool(), DNSName: "127.0.0.1"}); err == nil {
		t.Fatal("the server certificate verifies without its CA")
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
