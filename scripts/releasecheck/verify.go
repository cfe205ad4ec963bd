package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// platform is one os/arch pair a release ships an archive for.
type platform struct{ OS, Arch string }

func (p platform) String() string { return p.OS + "_" + p.Arch }

// The platforms the registry's users mostly run; a config that drops one of
// them would leave those users with "provider not available for your platform".
var requiredPlatforms = []platform{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"},
}

func cmdVerify(args []string) error {
	fs := flag.NewFlagSet("verify", flag.ExitOnError)
	dist := fs.String("dist", "dist", "goreleaser output directory")
	config := fs.String("config", ".goreleaser.yml", "goreleaser configuration that produced -dist")
	manifest := fs.String("manifest", "terraform-registry-manifest.json", "registry manifest the release attaches")
	version := fs.String("version", "", "expected version (default: dist/metadata.json)")
	_ = fs.Parse(args)

	v := *version
	if v == "" {
		var err error
		if v, err = distVersion(*dist); err != nil {
			return err
		}
	}
	platforms, err := configPlatforms(*config)
	if err != nil {
		return err
	}
	problems := verifyDist(*dist, v, platforms, *manifest)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "FAIL", p)
		}
		return fmt.Errorf("%d problem(s) with the release archives in %s", len(problems), *dist)
	}
	fmt.Printf("ok      %d archives for version %s, %s lists them and the manifest, protocol 6.0, binary reports %s\n",
		len(platforms), v, sumsName(v), v)
	return nil
}

func cmdVersion(args []string) error {
	fs := flag.NewFlagSet("version", flag.ExitOnError)
	dist := fs.String("dist", "dist", "goreleaser output directory")
	_ = fs.Parse(args)
	v, err := distVersion(*dist)
	if err != nil {
		return err
	}
	fmt.Println(v)
	return nil
}

func cmdRunVersion(args []string) error {
	fs := flag.NewFlagSet("run-version", flag.ExitOnError)
	bin := fs.String("bin", "", "provider binary")
	version := fs.String("version", "", "version it must report")
	_ = fs.Parse(args)
	return checkBinaryVersion(*bin, *version)
}

func archiveName(version string, p platform) string {
	return fmt.Sprintf("%s_%s_%s.zip", projectName, version, p)
}

func sumsName(version string) string { return fmt.Sprintf("%s_%s_SHA256SUMS", projectName, version) }
func manifestName(version string) string {
	return fmt.Sprintf("%s_%s_manifest.json", projectName, version)
}

// binaryName is the executable Terraform looks for inside the archive:
// terraform-provider-<type>_v<version>, with .exe on Windows.
func binaryName(version, goos string) string {
	name := fmt.Sprintf("%s_v%s", projectName, version)
	if goos == "windows" {
		name += ".exe"
	}
	return name
}

// distVersion reads the version goreleaser gave the (snapshot) release.
func distVersion(dist string) (string, error) {
	raw, err := os.ReadFile(filepath.Join(dist, "metadata.json"))
	if err != nil {
		return "", fmt.Errorf("reading the release version: %w", err)
	}
	var meta struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil || meta.Version == "" {
		return "", fmt.Errorf("%s/metadata.json has no version (%v)", dist, err)
	}
	return meta.Version, nil
}

// ignoreRule is one entry of a build's ignore list; an empty field matches any value.
type ignoreRule struct {
	GOOS   string `yaml:"goos"`
	GOARCH string `yaml:"goarch"`
}

// configPlatforms expands the builds' goos x goarch minus their ignore list,
// which is the set of archives a release of this config must contain.
func configPlatforms(path string) ([]platform, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		Builds []struct {
			GOOS   []string     `yaml:"goos"`
			GOARCH []string     `yaml:"goarch"`
			Ignore []ignoreRule `yaml:"ignore"`
		} `yaml:"builds"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	seen := map[platform]bool{}
	var out []platform
	for _, b := range cfg.Builds {
		if len(b.GOOS) == 0 || len(b.GOARCH) == 0 {
			return nil, fmt.Errorf("%s: every build must list goos and goarch explicitly", path)
		}
		for _, goos := range b.GOOS {
			for _, goarch := range b.GOARCH {
				p := platform{goos, goarch}
				ignored := slices.ContainsFunc(b.Ignore, func(i ignoreRule) bool {
					return (i.GOOS == "" || i.GOOS == goos) && (i.GOARCH == "" || i.GOARCH == goarch)
				})
				if !ignored && !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no builds", path)
	}
	for _, want := range requiredPlatforms {
		if !seen[want] {
			return nil, fmt.Errorf("%s: does not build %s, which the registry's users need", path, want)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out, nil
}

// readSums parses a SHA256SUMS file: "<64 hex digits>  <file name>" per line.
func readSums(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	line := regexp.MustCompile(`^([0-9a-f]{64})  (\S+)$`)
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			return nil, fmt.Errorf("%s:%d: not \"<sha256>  <name>\": %q", filepath.Base(path), n, sc.Text())
		}
		if _, dup := sums[m[2]]; dup {
			return nil, fmt.Errorf("%s:%d: %s listed twice", filepath.Base(path), n, m[2])
		}
		sums[m[2]] = m[1]
	}
	return sums, sc.Err()
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// verifyDist returns every way dist falls short of a registry release of
// version for platforms; empty means it would publish and install.
func verifyDist(dist, version string, platforms []platform, manifestPath string) []string {
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	want := map[string]platform{}
	for _, p := range platforms {
		want[archiveName(version, p)] = p
	}
	// Archives with any other name are what a renamed or mis-templated
	// archive looks like: the registry would not find them.
	zips, _ := filepath.Glob(filepath.Join(dist, "*.zip"))
	for _, z := range zips {
		if _, ok := want[filepath.Base(z)]; !ok {
			bad("unexpected archive %s: archives must be named %s", filepath.Base(z), archiveName(version, platform{"<os>", "<arch>"}))
		}
	}

	sums, err := readSums(filepath.Join(dist, sumsName(version)))
	if err != nil {
		bad("checksums: %v", err)
	}
	for name, p := range want {
		path := filepath.Join(dist, name)
		if _, err := os.Stat(path); err != nil {
			bad("missing archive for %s: %s", p, name)
			continue
		}
		if sums != nil {
			got, err := fileSHA256(path)
			switch {
			case err != nil:
				bad("%s: %v", name, err)
			case sums[name] == "":
				bad("%s is not listed in %s", name, sumsName(version))
			case sums[name] != got:
				bad("%s: sha256 %s does not match %s (%s): the archive is corrupted", name, got, sumsName(version), sums[name])
			}
		}
		if err := checkArchive(path, version, p.OS); err != nil {
			bad("%s: %v", name, err)
		}
	}
	for name := range sums {
		if _, ok := want[name]; !ok && name != manifestName(version) {
			bad("%s lists %s, which is no archive of this release", sumsName(version), name)
		}
	}

	// The manifest is uploaded from the repository under the release's name;
	// its checksum must be the one SHA256SUMS states.
	if err := checkManifest(manifestPath); err != nil {
		bad("%v", err)
	} else if sums != nil {
		got, _ := fileSHA256(manifestPath)
		switch sums[manifestName(version)] {
		case "":
			bad("%s does not list %s", sumsName(version), manifestName(version))
		case got:
		default:
			bad("%s: sha256 %s does not match %s", manifestName(version), got, sumsName(version))
		}
	}

	// The binary for this machine must say it is the version it is filed under.
	host := platform{runtime.GOOS, runtime.GOARCH}
	if _, ok := want[archiveName(version, host)]; ok && len(problems) == 0 {
		if err := checkArchivedBinaryVersion(filepath.Join(dist, archiveName(version, host)), version, host.OS); err != nil {
			bad("%s: %v", archiveName(version, host), err)
		}
	}
	sort.Strings(problems)
	return problems
}

// checkArchive requires the provider binary at the root of the zip, and
// executable where the OS has an executable bit (Terraform keeps the mode).
func checkArchive(path, version, goos string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("not a readable zip: %w", err)
	}
	defer func() { _ = zr.Close() }()
	want := binaryName(version, goos)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name != want {
			continue
		}
		if goos != "windows" && f.Mode()&0o111 == 0 {
			return fmt.Errorf("%s is not executable (mode %v)", want, f.Mode())
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc) // reading to the end checks the CRC
		_ = rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", want, err)
		}
		return nil
	}
	return fmt.Errorf("does not hold %s (holds %s)", want, strings.Join(names, ", "))
}

func checkManifest(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("registry manifest: %w", err)
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("registry manifest %s: %w", path, err)
	}
	// main.go serves protocol 6 only; the registry tells Terraform which
	// protocol to expect from this list.
	if m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{"6.0"}) {
		return fmt.Errorf("registry manifest %s: want version 1 with protocol_versions [\"6.0\"], got version %d with %q",
			path, m.Version, m.Metadata.ProtocolVersions)
	}
	return nil
}

func checkArchivedBinaryVersion(zipPath, version, goos string) error {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return err
	}
	defer func() { _ = zr.Close() }()
	f, err := zr.Open(binaryName(version, goos))
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	tmp, err := os.MkdirTemp("", "releasecheck-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	bin := filepath.Join(tmp, binaryName(version, goos))
	out, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, f); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return checkBinaryVersion(bin, version)
}

// checkBinaryVersion runs `<bin> -version`, which prints
// "terraform-provider-northpass <version>".
func checkBinaryVersion(bin, version string) error {
	if bin == "" || version == "" {
		return errors.New("need -bin and -version")
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "-version")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s -version: %v: %s", filepath.Base(bin), err, strings.TrimSpace(stderr.String()))
	}
	got := strings.TrimSpace(stdout.String())
	if got != projectName+" "+version {
		return fmt.Errorf("%s -version printed %q, want %q", filepath.Base(bin), got, projectName+" "+version)
	}
	return nil
}
