package main

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// mirror answers Terraform's provider network mirror protocol for one
// provider, from a goreleaser dist directory:
// https://developer.hashicorp.com/terraform/internals/provider-network-mirror-protocol
//
//	GET <base>/registry.terraform.io/ceiac/northpass/index.json  {"versions":{"<v>":{}}}
//	GET <base>/registry.terraform.io/ceiac/northpass/<v>.json    {"archives":{"<os>_<arch>":{"url":…,"hashes":["zh:…"]}}}
//	GET <base>/registry.terraform.io/ceiac/northpass/<archive>.zip
type mirror struct {
	dist     string
	version  string
	archives map[string]mirrorArchive // by platform, e.g. linux_amd64
	files    map[string]bool          // archive file names it may serve
}

type mirrorArchive struct {
	URL    string   `json:"url"`
	Hashes []string `json:"hashes,omitempty"`
}

// newMirror lists the release's archives. With hashesFrom "sums" it offers
// the zh: hashes the release's SHA256SUMS states, as a mirror copying a
// release does; with "files" it hashes whatever the archives are now, as a
// mirror that re-hashes a tampered archive would (then only the lock file
// stands between the user and the tampered binary).
func newMirror(dist, version, hashesFrom string) (*mirror, error) {
	m := &mirror{dist: dist, version: version, archives: map[string]mirrorArchive{}, files: map[string]bool{}}
	name := regexp.MustCompile(`^` + regexp.QuoteMeta(projectName+"_"+version+"_") + `([a-z0-9]+_[a-z0-9]+)\.zip$`)
	hashes := map[string]string{}
	switch hashesFrom {
	case "sums":
		sums, err := readSums(filepath.Join(dist, sumsName(version)))
		if err != nil {
			return nil, err
		}
		hashes = sums
	case "files":
		zips, _ := filepath.Glob(filepath.Join(dist, "*.zip"))
		for _, z := range zips {
			sum, err := fileSHA256(z)
			if err != nil {
				return nil, err
			}
			hashes[filepath.Base(z)] = sum
		}
	default:
		return nil, fmt.Errorf("-hashes must be sums or files, not %q", hashesFrom)
	}
	for file, sum := range hashes {
		mm := name.FindStringSubmatch(file)
		if mm == nil {
			continue
		}
		// The URL is relative to <v>.json, so it names a file beside it.
		m.archives[mm[1]] = mirrorArchive{URL: file, Hashes: []string{"zh:" + sum}}
		m.files[file] = true
	}
	if len(m.archives) == 0 {
		return nil, fmt.Errorf("no archives of version %s in %s", version, dist)
	}
	return m, nil
}

func (m *mirror) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	m.serve(rec, r)
	log.Printf("%s %s %d", r.Method, r.URL.Path, rec.status)
}

func (m *mirror) serve(w http.ResponseWriter, r *http.Request) {
	prefix := "/" + providerSrc + "/"
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || !strings.HasPrefix(r.URL.Path, prefix) {
		http.NotFound(w, r)
		return
	}
	switch file := strings.TrimPrefix(r.URL.Path, prefix); {
	case file == "index.json":
		writeJSON(w, map[string]any{"versions": map[string]any{m.version: map[string]any{}}})
	case file == m.version+".json":
		writeJSON(w, map[string]any{"archives": m.archives})
	case m.files[file] && path.Base(file) == file:
		w.Header().Set("Content-Type", "application/zip")
		http.ServeFile(w, r, filepath.Join(m.dist, file))
	default:
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// cmdServe serves the mirror on 127.0.0.1 over TLS (Terraform accepts only
// https:// network mirrors) with a certificate from a CA made for this run.
// It writes DIR/ca.pem, then DIR/url once it is listening, and serves until
// it gets SIGTERM or SIGINT.
func cmdServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	dist := fs.String("dist", "dist", "goreleaser output directory")
	version := fs.String("version", "", "the release's version")
	dir := fs.String("dir", "", "directory for ca.pem and url")
	hashesFrom := fs.String("hashes", "sums", "zh: hashes from the release's SHA256SUMS (sums) or from the archives as they are (files)")
	_ = fs.Parse(args)
	if *version == "" || *dir == "" {
		return fmt.Errorf("serve needs -version and -dir")
	}
	log.SetFlags(0)
	log.SetPrefix("mirror: ")

	m, err := newMirror(*dist, *version, *hashesFrom)
	if err != nil {
		return err
	}
	caPEM, cert, err := newLoopbackCert(2 * time.Hour)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(*dir, "ca.pem"), caPEM); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           m,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
	}
	url := fmt.Sprintf("https://%s/", ln.Addr())
	if err := writeFileAtomic(filepath.Join(*dir, "url"), []byte(url+"\n")); err != nil {
		return err
	}
	log.Printf("serving %d archive(s) of %s at %s", len(m.archives), *version, url)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() { <-stop; _ = srv.Close() }()
	if err := srv.ServeTLS(ln, "", ""); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// writeFileAtomic lets the script poll for a file without reading it half written.
func writeFileAtomic(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
