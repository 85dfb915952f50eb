package langstem

import (
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/askdocs/askdocs/retrieval/analysis/langdetect"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
)

func TestAnalyze(t *testing.T) {
	tests := []struct {
		lang        langdetect.Lang
		in          string
		exact, fold string
		stop        bool
	}{
		{langdetect.English, "opens", "opens", "open", false},
		{langdetect.English, "Open", "open", "open", false},
		{langdetect.English, "opening", "opening", "open", false},
		{langdetect.English, "The", "the", "the", true},
		{langdetect.English, "does", "does", "does", true},
		{langdetect.English, "an", "an", "an", true},
		{langdetect.English, "s", "s", "s", true}, // of "store's"
		{langdetect.English, "stores", "stores", "store", false},
		{langdetect.English, "1300", "1300", "1300", false},
		{langdetect.English, "10th", "10th", "10th", false},
		{langdetect.English, "café", "café", "cafe", false},
		{langdetect.French, "écoles", "écoles", "ecol", false},
		{langdetect.French, "le", "le", "le", true},
		{langdetect.German, "Häuser", "häuser", "haus", false},
		{langdetect.German, "und", "und", "und", true},
		{langdetect.Spanish, "niños", "niños", "nin", false},
		{langdetect.Russian, "кошки", "кошки", "кошк", false},
	}
	for _, tt := range tests {
		exact, fold, stop := For(tt.lang).Analyze(tt.in)
		if exact != tt.exact || fold != tt.fold || stop != tt.stop {
			t.Errorf("%v Analyze(%q) = %q, %q, %v, want %q, %q, %v", tt.lang, tt.in, exact, fold, stop, tt.exact, tt.fold, tt.stop)
		}
	}
}

func TestNew(t *testing.T) {
	for _, l := range []langdetect.Lang{langdetect.Unknown, langdetect.Vietnamese} {
		if New(l) != nil || For(l) != nil {
			t.Errorf("%v has a chain: Vietnamese must never be stemmed", l)
		}
	}
	for _, l := range langdetect.Others() {
		if For(l) == nil {
			t.Errorf("%v has no chain", l)
		}
	}
}

func TestKey(t *testing.T) {
	tests := []struct {
		lang  langdetect.Lang
		exact string
		key   string
	}{
		{langdetect.Vietnamese, "an", "an"},
		{langdetect.English, "an", "en\x00an"},
		{langdetect.French, "été", "fr\x00été"},
	}
	for _, tt := range tests {
		key := Key(tt.lang, tt.exact)
		if key != tt.key {
			t.Errorf("Key(%v, %q) = %q, want %q", tt.lang, tt.exact, key, tt.key)
		}
		if l, e := SplitKey(key); l != tt.lang || e != tt.exact {
			t.Errorf("SplitKey(%q) = %v, %q", key, l, e)
		}
	}
	if l, e := SplitKey(Key(langdetect.Unknown, "x")); l != langdetect.Vietnamese || e != "x" {
		t.Errorf("SplitKey of an Unknown key = %v, %q", l, e)
	}
}

func TestUnaccent(t *testing.T) {
	for in, want := range map[string]string{"école": "ecole", "naïve": "naive", "straße": "straße", "plain": "plain", "e\u0301te\u0301": "ete"} {
		if got := Unaccent(in); got != want {
			t.Errorf("Unaccent(%q) = %q, want %q", in, got, want)
		}
	}
}

type tok struct {
	term    string
	pos     int
	start   int
	keyword bool
}

func TestFoldAnalyzer(t *testing.T) {
	m := mapping.NewIndexMapping()
	if err := Register(m); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang langdetect.Lang
		in   string
		want []tok
	}{
		{langdetect.English, "The store opens at 1.300", []tok{
			{"the", 1, 0, true}, {"store", 2, 4, false}, {"open", 3, 10, false}, {"at", 4, 16, true}, {"1300", 5, 19, false},
			{"store open", 3, 4, false}, {"open 1300", 5, 10, false},
		}},
		{langdetect.English, "Store's hours", []tok{
			{"store", 1, 0, false}, {"s", 2, 6, true}, {"hour", 3, 8, false}, {"store hour", 3, 0, false},
		}},
		{langdetect.French, "Les écoles", []tok{
			{"les", 1, 0, true}, {"ecol", 2, 4, false},
		}},
	}
	for _, tt := range tests {
		a := m.AnalyzerNamed(FoldAnalyzer(tt.lang))
		if a == nil {
			t.Fatalf("no analyzer %s", FoldAnalyzer(tt.lang))
		}
		var got []tok
		for _, x := range a.Analyze([]byte(tt.in)) {
			got = append(got, tok{string(x.Term), x.Position, x.Start, x.KeyWord})
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s(%q) = %v\nwant %v", FoldAnalyzer(tt.lang), tt.in, got, tt.want)
		}
	}
}

func TestFilter(t *testing.T) {
	in := analysis.TokenStream{{Term: []byte("opens"), Position: 1}, {Term: []byte("the"), Position: 2}}
	out := Filter{Chain: For(langdetect.English)}.Filter(in)
	if len(out) != 2 || string(out[0].Term) != "open" || out[0].KeyWord || string(out[1].Term) != "the" || !out[1].KeyWord {
		t.Errorf("Filter = %v", out)
	}
}

// FuzzAnalyze: any token of any language gives valid UTF-8, a stop
// word is its own fold, and the normal form analyses as the token did.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"opens", "The", "écoles", "Häuser", "кошки", "1.300", "x", "\xff", "ho\u031b\u0323p", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		for _, l := range langdetect.Others() {
			exact, fold, stop := For(l).Analyze(tok)
			if !utf8.ValidString(exact) && utf8.ValidString(tok) || !utf8.ValidString(fold) && utf8.ValidString(tok) {
				t.Fatalf("%v Analyze(%q) = %q, %q", l, tok, exact, fold)
			}
			if stop && fold != exact {
				t.Fatalf("%v stop word %q folds to %q", l, exact, fold)
			}
			// A stored index analyses the normal form again.
			if e2, f2, s2 := For(l).Analyze(exact); e2 != exact || f2 != fold || s2 != stop {
				t.Fatalf("%v Analyze(%q) = %q, %q, %v; of its normal form %q, %q, %v", l, tok, exact, fold, stop, e2, f2, s2)
			}
		}
	})
}
