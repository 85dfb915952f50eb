package synth

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestSpell(t *testing.T) {
	tests := []struct {
		onset, rhyme string
		tone         tone
		want         string // "" when spelling forbids it
	}{
		// c/k, g/gh, ng/ngh before front vowels.
		{"c", "a", ngang, "ca"},
		{"c", "i", huyen, "kì"},
		{"c", "em", sac, "kém"},
		{"c", "ênh", ngang, "kênh"},
		{"g", "a", huyen, "gà"},
		{"g", "e", ngang, "ghe"},
		{"g", "i", hoi, "ghỉ"},
		{"ng", "ươi", huyen, "người"},
		{"ng", "iêng", ngang, "nghiêng"},
		{"ng", "e", nga, "nghẽ"},
		// qu only with glide rhymes, the u of qu being the glide.
		{"qu", "oa", ngang, "qua"},
		{"qu", "oan", sac, "quán"},
		{"qu", "uy", sac, "quý"},
		{"qu", "uyên", huyen, "quyền"},
		{"qu", "uân", ngang, "quân"},
		{"qu", "a", ngang, ""},
		{"qu", "ôc", sac, ""},
		{"c", "oa", ngang, ""}, // /kw/ is written qu
		{"b", "oa", ngang, ""}, // no glide after a labial
		// Checked rhymes take only sắc or nặng.
		{"c", "ac", sac, "các"},
		{"d", "ưc", nang, "dực"},
		{"t", "ôt", nang, "tột"},
		{"h", "oc", ngang, ""},
		{"c", "ac", huyen, ""},
		{"t", "ich", hoi, ""},
		{"h", "ap", nga, ""},
		{"v", "iêt", ngang, ""},
		// Tone on the main vowel, modern rules.
		{"h", "oa", huyen, "hoà"},     // after a glide: the second vowel
		{"th", "uy", sac, "thuý"},     // likewise
		{"kh", "oe", hoi, "khoẻ"},     // likewise
		{"m", "ua", huyen, "mùa"},     // no glide: the first vowel
		{"t", "ai", sac, "tái"},       // likewise
		{"c", "ia", huyen, "kìa"},     // likewise
		{"t", "iên", sac, "tiến"},     // the vowel with a quality mark
		{"m", "ươi", nga, "mưỡi"},     // ươ: on ơ
		{"m", "uôn", sac, "muốn"},     // uô: on ô
		{"h", "oai", sac, "hoái"},     // three vowels: the middle one
		{"t", "oan", sac, "toán"},     // closed: the last vowel
		{"h", "uynh", huyen, "huỳnh"}, // likewise
		{"qu", "oai", sac, "quái"},    // qu+ai: ai's first vowel
		{"gi", "a", huyen, "già"},     // the i of gi is the onset's
		{"", "iên", ngang, "yên"},     // no onset: iê is written yê
		{"", "uy", sac, "uý"},
	}
	for _, tt := range tests {
		got, ok := spell(tt.onset, tt.rhyme, tt.tone)
		if tt.want == "" {
			if ok {
				t.Errorf("spell(%q, %q, %d) = %q, want not allowed", tt.onset, tt.rhyme, tt.tone, got)
			}
			continue
		}
		if !ok || got != tt.want {
			t.Errorf("spell(%q, %q, %d) = %q, %v; want %q", tt.onset, tt.rhyme, tt.tone, got, ok, tt.want)
		}
		if !norm.NFC.IsNormalString(got) {
			t.Errorf("spell(%q, %q, %d) = %q: not NFC", tt.onset, tt.rhyme, tt.tone, got)
		}
	}
}

func TestZipfVocabulary(t *testing.T) {
	m := zipfVocab()
	if len(m.syllables) != zipfSyllables {
		t.Fatalf("%d syllables, want %d", len(m.syllables), zipfSyllables)
	}
	for i, s := range functionSyllables {
		if m.syllables[i] != s {
			t.Fatalf("syllable %d = %q, want the function syllable %q", i, m.syllables[i], s)
		}
	}
	seen := map[string]bool{}
	for _, s := range m.syllables {
		if seen[s] {
			t.Fatalf("syllable %q repeats", s)
		}
		seen[s] = true
		if !norm.NFC.IsNormalString(s) || strings.ContainsAny(s, " \t") {
			t.Fatalf("syllable %q: want one NFC syllable", s)
		}
	}
	if len(m.words) != zipfWords {
		t.Fatalf("%d words, want %d", len(m.words), zipfWords)
	}
	// One-syllable words take the ranked content syllables in order.
	next := 0
	multi := 0
	for _, w := range m.words[len(functionSyllables):] {
		n := len(strings.Fields(w))
		switch {
		case n == 1:
			if w != m.content[next] {
				t.Fatalf("one-syllable word %q, want the next ranked syllable %q", w, m.content[next])
			}
			next++
		case n == 2 || n == 3:
			multi++
		default:
			t.Fatalf("word %q has %d syllables", w, n)
		}
	}
	if share := float64(next) / float64(next+multi); share < 0.15 || share > 0.25 {
		t.Errorf("one-syllable share %.2f, want about %.2f", share, monoShare)
	}
	// Zipfian use: the 100 commonest words hold far more of the text
	// than the 100 at rank 10,000.
	if top, mid := m.wordCum[99], m.wordCum[10099]-m.wordCum[9999]; top < 50*mid {
		t.Errorf("weight of ranks 0–99 %.3f, of 10,000–10,099 %.3f: not Zipfian", top, mid)
	}
}

func TestZipfCorpus(t *testing.T) {
	const n = 3000
	var a, b bytes.Buffer
	if _, err := GenerateOf(&a, Zipf, 4, n); err != nil {
		t.Fatal(err)
	}
	GenerateOf(&b, Zipf, 4, n)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two zipf runs with one seed differ")
	}
	var chain bytes.Buffer
	Generate(&chain, 4, n)
	if bytes.Equal(a.Bytes(), chain.Bytes()) {
		t.Fatal("zipf corpus equals the chain corpus")
	}
	text := a.String()
	if !utf8.ValidString(text) || !norm.NFC.IsNormalString(text) {
		t.Fatal("output is not valid NFC UTF-8")
	}
	ps := paragraphs(text)
	if len(ps) != n {
		t.Fatalf("got %d paragraphs, want %d", len(ps), n)
	}
	syl := zipfVocab()
	generated := map[string]bool{}
	for _, s := range syl.content {
		generated[s] = true
	}
	distinct := map[string]bool{}
	tokens, numbers := 0, 0
	for i, p := range ps {
		words := strings.Fields(p)
		if len(words) < MinWords || len(words) > MaxWords {
			t.Errorf("paragraph %d has %d words, want %d to %d", i, len(words), MinWords, MaxWords)
		}
		if !endsSentence(words[len(words)-1]) {
			t.Errorf("paragraph %d does not end a sentence: %q", i, p)
		}
		if has := strings.Contains(p, RareToken(i/RareEvery)); has != (i%RareEvery == RareEvery/2) {
			t.Errorf("paragraph %d: holds rare token %s = %v", i, RareToken(i/RareEvery), has)
		}
		for _, w := range words {
			w = strings.ToLower(strings.TrimRight(w, ".,;:!?"))
			tokens++
			if generated[w] {
				distinct[w] = true
			}
			if w != "" && w[0] >= '0' && w[0] <= '9' {
				numbers++
			}
		}
	}
	// A realistic vocabulary: thousands of the generated syllables show
	// up in a few thousand paragraphs (the chain alone knows about 650).
	if len(distinct) < 4000 {
		t.Errorf("%d distinct generated syllables in %d paragraphs, want at least 4000", len(distinct), n)
	}
	if share := float64(numbers) / float64(tokens); share < 0.007 || share > 0.03 {
		t.Errorf("numbers are %.3f of the words, want about %.3f", share, numberShare)
	}
}

func TestParseVocab(t *testing.T) {
	for _, s := range []string{"chain", "zipf"} {
		if v, err := ParseVocab(s); err != nil || string(v) != s {
			t.Errorf("ParseVocab(%q) = %q, %v", s, v, err)
		}
	}
	if _, err := ParseVocab("zipfian"); err == nil || !strings.Contains(err.Error(), `unknown vocabulary "zipfian"`) {
		t.Errorf("ParseVocab(zipfian): err %v", err)
	}
	if _, err := WriteCorpusOf(t.TempDir(), "bogus", 1, 1, 1); err == nil {
		t.Error("WriteCorpusOf with a bogus vocabulary: no error")
	}
}

func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc_00001.txt")
	for _, seed := range []uint64{1, 2} {
		n, err := WriteFile(path, Zipf, seed, 20)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		GenerateOf(&want, Zipf, seed, 20)
		if n != int64(len(b)) || !bytes.Equal(b, want.Bytes()) {
			t.Errorf("seed %d: WriteFile wrote %d bytes (reported %d), not GenerateOf's %d", seed, len(b), n, want.Len())
		}
	}
	if _, err := WriteFile(path, "bogus", 1, 1); err == nil {
		t.Error("WriteFile with a bogus vocabulary: no error")
	}
}

func BenchmarkZipfParagraph(b *testing.B) {
	g := NewOf(Zipf, 1)
	b.ReportAllocs()
	for b.Loop() {
		g.Next()
	}
}
