package sfapi

import "testing"

func TestID18(t *testing.T) {
	cases := map[string]string{
		"005ak000005hvjJ": "005ak000005hvjJAAQ",
		"0PSak00000M9uBB": "0PSak00000M9uBBGAZ",
		"001000000000000": "001000000000000AAA",
		"00D000000000062": "00D000000000062EAA",
	}
	for in, want := range cases {
		got, err := ID18(in)
		if err != nil || got != want {
			t.Errorf("ID18(%q) = %q, %v; want %q", in, got, err, want)
		}
		if again, err := ID18(got); err != nil || again != got {
			t.Errorf("ID18(%q) changed an 18-character id: %q %v", got, again, err)
		}
	}
	for _, bad := range []string{"", "005", "005ak000005hvj", "005ak000005hvjJAAQX", "005ak00000-hvjJ", "005ak000005hvjJAA!"} {
		if _, err := ID18(bad); err == nil {
			t.Errorf("ID18(%q) accepted", bad)
		}
	}
}
