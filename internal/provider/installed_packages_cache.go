package provider

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/ceiac/terraform-provider-northpass/internal/sfapi"
)

// installedPackagesTTL bounds how long one installed-packages answer is
// reused. Terraform configures a fresh client for every plan and apply, so
// in practice an answer lives for one plan; the TTL only guards against a
// long-lived client seeing an old answer.
const installedPackagesTTL = 30 * time.Second

// installedPackages shares one installed-packages query among the Reads and
// plan checks of every northpass_salesforce_package that uses the same
// client: a plan with the Northpass and the Data Connector packages asks
// Salesforce once. Installs and uninstalls call refresh, so a write is never
// followed by an old answer. Like the client's own read cache, it is off
// when the client's is (NORTHPASS_BATCH_READS=false).
var installedPackages = &installedPackagesCache{entries: map[*sfapi.Client]*installedPackagesEntry{}}

type installedPackagesCache struct {
	mu      sync.Mutex
	entries map[*sfapi.Client]*installedPackagesEntry
}

type installedPackagesEntry struct {
	// mu is held while querying, so that concurrent Reads wait for one
	// answer instead of each sending the query.
	mu       sync.Mutex
	pkgs     []sfapi.InstalledPackage
	fetched  time.Time
	lastUsed time.Time // guarded by the cache's mu
}

func (c *installedPackagesCache) entry(client *sfapi.Client) *installedPackagesEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for k, e := range c.entries {
		if k != client && now.Sub(e.lastUsed) > 2*installedPackagesTTL {
			delete(c.entries, k) // clients of earlier plans and applies
		}
	}
	e := c.entries[client]
	if e == nil {
		e = &installedPackagesEntry{}
		c.entries[client] = e
	}
	e.lastUsed = now
	return e
}

// list returns the installed packages, from the cache when it is fresh.
func (c *installedPackagesCache) list(ctx context.Context, client *sfapi.Client) ([]sfapi.InstalledPackage, error) {
	return c.get(ctx, client, false)
}

// refresh always asks Salesforce, and keeps the answer for later readers.
// Create, Update and Delete use it: they decide what to write from it.
func (c *installedPackagesCache) refresh(ctx context.Context, client *sfapi.Client) ([]sfapi.InstalledPackage, error) {
	return c.get(ctx, client, true)
}

// forget drops the answer after a write whose outcome is not known, e.g. an
// install that failed half-way.
func (c *installedPackagesCache) forget(client *sfapi.Client) {
	e := c.entry(client)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pkgs, e.fetched = nil, time.Time{}
}

func (c *installedPackagesCache) get(ctx context.Context, client *sfapi.Client, fresh bool) ([]sfapi.InstalledPackage, error) {
	if !client.ReadCacheEnabled() {
		// NORTHPASS_BATCH_READS=false: every read asks Salesforce.
		return client.ListInstalledPackages(ctx)
	}
	e := c.entry(client)
	e.mu.Lock()
	defer e.mu.Unlock()
	if !fresh && e.pkgs != nil && time.Since(e.fetched) < installedPackagesTTL {
		return slices.Clone(e.pkgs), nil
	}
	pkgs, err := client.ListInstalledPackages(ctx)
	if err != nil {
		e.pkgs, e.fetched = nil, time.Time{}
		return nil, err
	}
	if pkgs == nil {
		pkgs = []sfapi.InstalledPackage{} // cached "none installed" differs from "not asked"
	}
	e.pkgs, e.fetched = pkgs, time.Now()
	return slices.Clone(pkgs), nil
}

// findInstalledByPackage returns the installed package with the given package id
// (033…), or nil.
func findInstalledByPackage(pkgs []sfapi.InstalledPackage, packageID string) *sfapi.InstalledPackage {
	for i := range pkgs {
		if samePackageRecordID(pkgs[i].PackageID, packageID) {
			return &pkgs[i]
		}
	}
	return nil
}

// samePackageRecordID compares Salesforce ids in their 15- or 18-character forms.
func samePackageRecordID(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	return normalizeID(a) == normalizeID(b)
}
