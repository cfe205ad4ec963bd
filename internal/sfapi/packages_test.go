package sfapi

import (
	"context"
	"net/http"
	"reflect"
	"testing"
)

// installedPackagesResponse is the real v58 response shape from the
// reference (§1), with a second package without a namespace.
const installedPackagesResponse = `{"size":2,"totalSize":2,"done":true,"queryLocator":null,"entityTypeName":"InstalledSubscriberPackage",
 "records":[
  {"attributes":{"type":"InstalledSubscriberPackage","url":"/services/data/v58.0/tooling/sobjects/InstalledSubscriberPackage/0A38d000001djsXCAQ"},
   "Id":"0A38d000001djsXCAQ","SubscriberPackageId":"03330000000wDAbAAM",
   "SubscriberPackage":{"attributes":{"type":"SubscriberPackage","url":"/services/data/v58.0/tooling/sobjects/SubscriberPackage/03330000000wDAbAAM"},"NamespacePrefix":"sf_com_apps","Name":"Salesforce Connected Apps"},
   "SubscriberPackageVersion":{"attributes":{"type":"SubscriberPackageVersion","url":"/services/data/v58.0/tooling/sobjects/SubscriberPackageVersion/04t30000001DUvrAAG"},"Id":"04t30000001DUvrAAG","Name":"Winter '16","MajorVersion":1,"MinorVersion":7,"PatchVersion":0,"BuildNumber":1,"IsManaged":true,"Package2ContainerOptions":null}},
  {"attributes":{"type":"InstalledSubscriberPackage","url":"/services/data/v58.0/tooling/sobjects/InstalledSubscriberPackage/0A38d000001djsYCAQ"},
   "Id":"0A38d000001djsYCAQ","SubscriberPackageId":"0334x000000abcdAAA",
   "SubscriberPackage":{"attributes":{"type":"SubscriberPackage","url":"/x"},"NamespacePrefix":null,"Name":"Gainsight Northpass Data Connector"},
   "SubscriberPackageVersion":{"attributes":{"type":"SubscriberPackageVersion","url":"/y"},"Id":"04t4x000000wxyzAAA","Name":"1.0","MajorVersion":2,"MinorVersion":1,"PatchVersion":0,"BuildNumber":3,"IsManaged":true,"Package2ContainerOptions":"Managed"}}]}`

func TestListInstalledPackages(t *testing.T) {
	o := newOrg(t)
	o.handle("GET /services/data/v65.0/tooling/query", func(w http.ResponseWriter, _ *http.Request, _ seen) {
		writeRaw(w, 200, installedPackagesResponse)
	})
	c := mustNew(t, Config{InstanceURL: o.URL, AccessToken: "tok"})
	got, err := c.ListInstalledPackages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []InstalledPackage{
		{ID: "0A38d000001djsXCAQ", PackageID: "03330000000wDAbAAM", Namespace: "sf_com_apps", Name: "Salesforce Connected Apps",
			VersionID: "04t30000001DUvrAAG", VersionName: "Winter '16", Major: 1, Minor: 7, Patch: 0, Build: 1, IsManaged: true},
		{ID: "0A38d000001djsYCAQ", PackageID: "0334x000000abcdAAA", Namespace: "", Name: "Gainsight Northpass Data Connector",
			VersionID: "04t4x000000wxyzAAA", VersionName: "1.0", Major: 2, Minor: 1, Patch: 0, Build: 3, IsManaged: true, ContainerOptions: "Managed"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if g0, g1 := got[0].Generation(), got[1].Generation(); g0 != FirstGeneration || g1 != SecondGeneration {
		t.Errorf("generations %s, %s; want 1GP, 2GP", g0, g1)
	}
	if v := got[1].VersionNumber(); v != "2.1.0.3" {
		t.Errorf("VersionNumber = %q", v)
	}
	if q := o.rec.all()[0].Query.Get("q"); q != installedPackagesSOQL {
		t.Errorf("q = %q", q)
	}
}
