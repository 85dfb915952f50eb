package vnstop

import (
	"strings"
	"testing"

	"github.com/askdocs/askdocs/retrieval/analysis/vnfold"
	"github.com/askdocs/askdocs/retrieval/analysis/vntoken"
	"github.com/askdocs/askdocs/retrieval/analysis/vntone"
	"github.com/blevesearch/bleve/v2/analysis"
)

func tokens(s string) []Token {
	var out []Token
	for _, t := range vntoken.Split(strings.ToLower(s)) {
		e := vntone.Normalize(t.Text)
		out = append(out, Token{Exact: e, Fold: vnfold.Fold(e), Plain: !vnfold.HasDiacritics(t.Text)})
	}
	return out
}

// strip removes every stop entry from s, as a question would be.
func strip(s string) []string {
	toks := tokens(s)
	var kept []string
	for i := 0; i < len(toks); {
		if n, _ := Default.Match(toks, i); n > 0 {
			i += n
			continue
		}
		kept = append(kept, toks[i].Fold)
		i++
	}
	return kept
}

func TestMatch(t *testing.T) {
	tests := []struct{ in, want string }{
		{"cho mình hỏi thương mại Việt Lào bao nhiêu vậy bot", "thuong mai viet lao"},
		{"cho minh hoi thuong mai viet lao bao nhieu vay bot", "thuong mai viet lao"},
		{"Hai nước ký thỏa thuận gì?", "hai nuoc ki thoa thuan"},
		{"khi nào thiết lập quan hệ ngoại giao", "thiet lap quan he ngoai giao"},
		{"What is the weather in Hanoi?", "weather hanoi"},
		{"hợp tác quốc phòng như thế nào ạ", "hop tac quoc phong"},
		{"đầu tư của Việt Nam", "dau tu viet nam"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(strip(tt.in), " "); got != tt.want {
			t.Errorf("strip(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFilterDropsOnlyFunctionWords(t *testing.T) {
	var ts analysis.TokenStream
	for _, s := range []string{"hợp", "tác", "của", "hai", "nước", "bot", "gì"} {
		ts = append(ts, &analysis.Token{Term: []byte(vntone.Normalize(s))})
	}
	var got []string
	for _, tok := range (Filter{List: Default}).Filter(ts) {
		got = append(got, vnfold.Fold(string(tok.Term)))
	}
	if want := "hop tac hai nuoc bot gi"; strings.Join(got, " ") != want {
		t.Errorf("Filter = %q, want %q", strings.Join(got, " "), want)
	}
}
