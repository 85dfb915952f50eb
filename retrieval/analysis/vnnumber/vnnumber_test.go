package vnnumber

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"1300", "1300"},
		{"1.300", "1300"},
		{"1.300.000", "1300000"},
		{"476,8", "476,8"},
		{"476.8", "476,8"},
		{"5,5", "5,5"},
		{"5.5", "5,5"},
		{"1,300", "1,300"},
		{"1.234,5", "1234,5"},
		{"1.2.3", "1.2.3"},
		{"2024", "2024"},
		{"abc", "abc"},
		{"v1.2", "v1.2"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
