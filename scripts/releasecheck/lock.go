package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/mod/sumdb/dirhash"
)

// cmdLock checks that `terraform init` recorded the archive it installed in
// the dependency lock file: the version, the h1: hash of the archive's
// contents (Terraform's "h1:" is Go's dirhash Hash1, which
// golang.org/x/mod computes the same way), and, where Terraform kept the
// mirror's zh: hashes, the archive's sha256.
func cmdLock(args []string) error {
	fs := flag.NewFlagSet("lock", flag.ExitOnError)
	lockPath := fs.String("lock", ".terraform.lock.hcl", "dependency lock file")
	zipPath := fs.String("zip", "", "the archive Terraform should have installed")
	version := fs.String("version", "", "the version it should have locked")
	_ = fs.Parse(args)
	if *zipPath == "" || *version == "" {
		return errors.New("lock needs -zip and -version")
	}
	gotVersion, hashes, err := readLock(*lockPath, providerSrc)
	if err != nil {
		return err
	}
	if gotVersion != *version {
		return fmt.Errorf("%s locks %s %s, want %s", *lockPath, providerSrc, gotVersion, *version)
	}
	h1, err := dirhash.HashZip(*zipPath, dirhash.Hash1)
	if err != nil {
		return err
	}
	if !slices.Contains(hashes, h1) {
		return fmt.Errorf("%s does not record the installed archive's %s (it has %q)", *lockPath, h1, hashes)
	}
	sum, err := fileSHA256(*zipPath)
	if err != nil {
		return err
	}
	for _, h := range hashes {
		if strings.HasPrefix(h, "zh:") && h != "zh:"+sum {
			return fmt.Errorf("%s records %s, but the archive's sha256 is %s", *lockPath, h, sum)
		}
	}
	fmt.Printf("ok      %s locks %s %s with %s\n", filepath.Base(*lockPath), providerSrc, gotVersion, strings.Join(hashes, ", "))
	return nil
}

// readLock returns the version and hashes a lock file records for provider.
func readLock(path, provider string) (string, []string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return "", nil, diags
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return "", nil, fmt.Errorf("%s: unexpected HCL body", path)
	}
	for _, b := range body.Blocks {
		if b.Type != "provider" || len(b.Labels) != 1 || b.Labels[0] != provider {
			continue
		}
		var version string
		var hashes []string
		if a, ok := b.Body.Attributes["version"]; ok {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() || v.IsNull() || !v.Type().Equals(cty.String) {
				return "", nil, fmt.Errorf("%s: bad version", path)
			}
			version = v.AsString()
		}
		if a, ok := b.Body.Attributes["hashes"]; ok {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() || !v.CanIterateElements() {
				return "", nil, fmt.Errorf("%s: bad hashes", path)
			}
			for it := v.ElementIterator(); it.Next(); {
				_, h := it.Element()
				hashes = append(hashes, h.AsString())
			}
		}
		return version, hashes, nil
	}
	return "", nil, fmt.Errorf("%s has no provider %q block", path, provider)
}

// cmdTamper rewrites an archive into a valid zip holding the same files plus
// one more: what a compromised mirror could serve with matching zh: hashes.
// Only the h1: hash in a lock file from an earlier init can then refuse it.
func cmdTamper(args []string) error {
	fs := flag.NewFlagSet("tamper", flag.ExitOnError)
	zipPath := fs.String("zip", "", "archive to rewrite in place")
	_ = fs.Parse(args)
	if *zipPath == "" {
		return errors.New("tamper needs -zip")
	}
	zr, err := zip.OpenReader(*zipPath)
	if err != nil {
		return err
	}
	defer func() { _ = zr.Close() }()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			return err
		}
	}
	w, err := zw.Create("tampered.txt")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "not what the release published\n"); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(*zipPath, buf.Bytes(), 0o644)
}
