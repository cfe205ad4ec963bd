package main

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const testVersion = "1.2.3"

var testPlatforms = []platform{
	{"darwin", "amd64"}, {"darwin", "arm64"}, {"linux", "amd64"}, {"linux", "arm64"}, {"windows", "amd64"},
}

// fakeDist writes what goreleaser would for testPlatforms, with a shell
// script standing in for each provider binary, and returns the directory and
// the manifest path.
func fakeDist(t *testing.T) (string, string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in binary is a shell script")
	}
	dir := t.TempDir()
	manifest := filepath.Join(t.TempDir(), "terraform-registry-manifest.json")
	writeFile(t, manifest, `{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`)
	var sums strings.Builder
	for _, p := range append(testPlatforms, platform{runtime.GOOS, runtime.GOARCH}) {
		name := filepath.Join(dir, archiveName(testVersion, p))
		if _, err := os.Stat(name); err == nil {
			continue
		}
		writeZip(t, name, map[string]string{
			binaryName(testVersion, p.OS): "#!/bin/sh\necho terraform-provider-northpass " + testVersion + "\n",
			"LICENSE":                     "license\n",
		})
		fmt.Fprintf(&sums, "%s  %s\n", sha256File(t, name), filepath.Base(name))
	}
	fmt.Fprintf(&sums, "%s  %s\n", sha256File(t, manifest), manifestName(testVersion))
	writeFile(t, filepath.Join(dir, sumsName(testVersion)), sums.String())
	writeFile(t, filepath.Join(dir, "metadata.json"), `{"project_name":"terraform-provider-northpass","version":"`+testVersion+`"}`)
	return dir, manifest
}

func hostPlatforms() []platform {
	ps := append([]platform(nil), testPlatforms...)
	host := platform{runtime.GOOS, runtime.GOARCH}
	for _, p := range ps {
		if p == host {
			return ps
		}
	}
	return append(ps, host)
}

func TestVerifyDist_acceptsARelease(t *testing.T) {
	dist, manifest := fakeDist(t)
	if problems := verifyDist(dist, testVersion, hostPlatforms(), manifest); len(problems) > 0 {
		t.Fatalf("a well-formed release was refused:\n%s", strings.Join(problems, "\n"))
	}
	if v, err := distVersion(dist); err != nil || v != testVersion {
		t.Fatalf("distVersion = %q, %v; want %s", v, err, testVersion)
	}
}

func TestVerifyDist_refuses(t *testing.T) {
	hostArchive := archiveName(testVersion, platform{runtime.GOOS, runtime.GOARCH})
	cases := map[string]struct {
		break_ func(t *testing.T, dist, manifest string)
		want   []string
	}{
		"a renamed archive": {
			func(t *testing.T, dist, _ string) {
				rename(t, filepath.Join(dist, archiveName(testVersion, platform{"darwin", "arm64"})),
					filepath.Join(dist, "terraform-provider-northpass_"+testVersion+"_darwin-arm64.zip"))
			},
			[]string{"missing archive for darwin_arm64", "unexpected archive terraform-provider-northpass_1.2.3_darwin-arm64.zip"},
		},
		"a corrupted archive": {
			func(t *testing.T, dist, _ string) {
				path := filepath.Join(dist, archiveName(testVersion, platform{"linux", "arm64"}))
				raw, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				raw[len(raw)/3] ^= 0xff
				writeFile(t, path, string(raw))
			},
			[]string{"terraform-provider-northpass_1.2.3_linux_arm64.zip: sha256", "the archive is corrupted"},
		},
		"an archive without the versioned binary": {
			func(t *testing.T, dist, _ string) {
				replaceArchive(t, dist, platform{"linux", "arm64"}, map[string]string{"terraform-provider-northpass": "#!/bin/sh\n"})
			},
			[]string{"does not hold terraform-provider-northpass_v1.2.3 (holds terraform-provider-northpass)"},
		},
		"a windows binary without .exe": {
			func(t *testing.T, dist, _ string) {
				replaceArchive(t, dist, platform{"windows", "amd64"}, map[string]string{"terraform-provider-northpass_v1.2.3": "MZ"})
			},
			[]string{"does not hold terraform-provider-northpass_v1.2.3.exe"},
		},
		"SHA256SUMS without the manifest": {
			func(t *testing.T, dist, _ string) {
				path := filepath.Join(dist, sumsName(testVersion))
				raw, _ := os.ReadFile(path)
				var keep []string
				for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
					if !strings.HasSuffix(l, "_manifest.json") {
						keep = append(keep, l)
					}
				}
				writeFile(t, path, strings.Join(keep, "\n")+"\n")
			},
			[]string{"does not list terraform-provider-northpass_1.2.3_manifest.json"},
		},
		"a manifest for protocol 5": {
			func(t *testing.T, dist, manifest string) {
				writeFile(t, manifest, `{"version": 1, "metadata": {"protocol_versions": ["5.0"]}}`)
			},
			[]string{`want version 1 with protocol_versions ["6.0"]`},
		},
		"a binary that reports another version": {
			func(t *testing.T, dist, _ string) {
				host := platform{runtime.GOOS, runtime.GOARCH}
				replaceArchive(t, dist, host, map[string]string{
					binaryName(testVersion, host.OS): "#!/bin/sh\necho terraform-provider-northpass dev\n",
				})
			},
			[]string{hostArchive + `: terraform-provider-northpass_v1.2.3 -version printed "terraform-provider-northpass dev", want "terraform-provider-northpass 1.2.3"`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dist, manifest := fakeDist(t)
			tc.break_(t, dist, manifest)
			problems := strings.Join(verifyDist(dist, testVersion, hostPlatforms(), manifest), "\n")
			for _, want := range tc.want {
				if !strings.Contains(problems, want) {
					t.Errorf("problems do not mention %q; got:\n%s", want, problems)
				}
			}
		})
	}
}

func TestConfigPlatforms(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "goreleaser.yml")
	writeFile(t, cfg, `
builds:
  - goos: [linux, darwin, windows]
    goarch: [amd64, arm64, "386"]
    ignore:
      - goos: darwin
        goarch: "386"
`)
	got, err := configPlatforms(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := "darwin_amd64 darwin_arm64 linux_386 linux_amd64 linux_arm64 windows_386 windows_amd64 windows_arm64"
	if s := fmt.Sprint(got); s != "["+want+"]" {
		t.Fatalf("platforms = %s, want [%s]", s, want)
	}

	writeFile(t, cfg, "builds:\n  - goos: [linux]\n    goarch: [amd64, arm64]\n")
	if _, err := configPlatforms(cfg); err == nil || !strings.Contains(err.Error(), "does not build darwin_amd64") {
		t.Fatalf("a config without darwin was accepted (err %v)", err)
	}
}

func TestRepositoryConfigBuildsTheCommonPlatforms(t *testing.T) {
	ps, err := configPlatforms("../../.goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := checkManifest("../../terraform-registry-manifest.json"); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d platforms: %v", len(ps), ps)
}

func replaceArchive(t *testing.T, dist string, p platform, files map[string]string) {
	t.Helper()
	path := filepath.Join(dist, archiveName(testVersion, p))
	writeZip(t, path, files)
	// Keep SHA256SUMS in step, so only the archive's contents are at fault.
	sums := filepath.Join(dist, sumsName(testVersion))
	raw, _ := os.ReadFile(sums)
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if strings.HasSuffix(l, "  "+filepath.Base(path)) {
			l = sha256File(t, path) + "  " + filepath.Base(path)
		}
		out = append(out, l)
	}
	writeFile(t, sums, strings.Join(out, "\n")+"\n")
}

func writeZip(t *testing.T, path string, files map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func rename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}
