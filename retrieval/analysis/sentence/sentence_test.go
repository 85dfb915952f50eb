package sentence

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"", []string{""}},
		{"One. Two.", []string{"One.", " Two."}},
		{"Hà Nội đẹp. Viêng Chăn cũng vậy!", []string{"Hà Nội đẹp.", " Viêng Chăn cũng vậy!"}},
		{"Named William E. Simon as head. Then 1974.", []string{"Named William E. Simon as head.", " Then 1974."}},
		{"Strains Y. p. orientalis were found.", []string{"Strains Y. p. orientalis were found."}},
		{"Dr. Smith came. He left.", []string{"Dr. Smith came.", " He left."}},
		{"Trụ sở ở TP. Hồ Chí Minh. Mới.", []string{"Trụ sở ở TP. Hồ Chí Minh.", " Mới."}},
		{"a.b lower. not a break", []string{"a.b lower. not a break"}},
		{"Line one\nLine two", []string{"Line one\n", "Line two"}},
		{"Giá 1.300 USD. “Rẻ” quá.", []string{"Giá 1.300 USD.", " “Rẻ” quá."}},
		{"Why? Because… Yes.", []string{"Why?", " Because…", " Yes."}},
		{"   ", []string{"   "}},
	}
	for _, c := range cases {
		var got []string
		for _, s := range Split(c.text) {
			got = append(got, c.text[s.Start:s.End])
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestLastEnd(t *testing.T) {
	cases := []struct {
		s    string
		want int
	}{
		{"no end here", -1},
		{"One. Two", 5},
		{"One. Two. Th", 10},
		{"a; b", 3},
		{"Mr. Smith", -1},
	}
	for _, c := range cases {
		if got := LastEnd(c.s); got != c.want {
			t.Errorf("LastEnd(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
