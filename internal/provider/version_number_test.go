package provider

import "testing"

func TestVersionCompare(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		want int
	}{
		{"2.1", "2.1.0.0", 0},
		{"2.1.0.3", "2.1", 1},
		{"2.0.9.99", "2.1", -1},
		{"2.10", "2.9", 1},
		{"1", "1.0.0.1", -1},
		{"03.1", "3.1", 0},
		{"2.1.0.3.7", "2.1.0.3", 1},
	}
	for _, c := range cases {
		a, err := parseVersion(c.a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := parseVersion(c.b)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.compare(b); got != c.want {
			t.Errorf("compare(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := b.compare(a); got != -c.want {
			t.Errorf("compare(%s, %s) = %d, want %d", c.b, c.a, got, -c.want)
		}
	}
}

func TestParseVersionRejects(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "v2.1", "2..1", "2.1.", ".2", "2.x", "-1.0", " 2.1", "2.1 ", "2,1", "99999999999999999999.1"} {
		if _, err := parseVersion(s); err == nil {
			t.Errorf("parseVersion(%q) accepted", s)
		}
	}
}
