package synth

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// This file spells Vietnamese syllables: an onset, a rhyme and a tone,
// by the language's spelling rules, with the tone mark placed by the
// modern rules.

// Tones, with the combining mark each adds (none for ngang).
type tone int

const (
	ngang tone = iota
	huyen      // à
	sac        // á
	hoi        // ả
	nga        // ã
	nang       // ạ
	numTones
)

var toneMarks = [numTones]string{"", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}

// onsets are the written initial consonants in their neutral spelling:
// "c", "g" and "ng" become "k", "gh" and "ngh" before a front vowel, and
// "qu" stands for /kw/ before a glide rhyme. "" is no onset.
var onsets = []string{"", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"}

// rhymes are the rhymes without tone. Those starting with the glide
// "o" or "u" + vowel (oa, oe, uy, uâ, uê, uơ) are glide rhymes: after
// "qu" the glide is written by the "u" of "qu".
var rhymes = strings.Fields(`
a ai ao au ay an ang anh am ac ach ap at
ăn ăng ăm ăc ăp ăt
âu ây ân âng âm âc âp ât
e eo en eng em ec ep et
ê êu ên ênh êm êch êp êt
i iu ia in inh im ich ip it iêu iên iêng iêm iêc iêp iêt
o oi on ong om oc op ot oong ooc
oa oai oay oan oang oanh oam oac oach oap oat oăn oăng oăc oăt oe oeo oen oet
ô ôi ôn ông ôm ôc ôp ôt
ơ ơi ơn ơm ơp ơt
u ui un ung um uc up ut ua uôi uôn uông uôm uôc uôt
uân uât uây uy uya uyên uyêt uynh uych uyt uê uênh uơ
ư ưi ưu ưa ưng ưc ưt ươi ươu ươn ương ươm ươc ươp ươt
`)

// glideRhyme reports whether r starts with a labial glide: o before a
// or e, u before â, ê, ơ or y.
func glideRhyme(r string) bool {
	for _, p := range []string{"oa", "oă", "oe", "uâ", "uê", "uơ", "uy"} {
		if strings.HasPrefix(r, p) {
			return true
		}
	}
	return false
}

// checked reports whether r ends in a stop (-c, -ch, -p, -t), which
// takes only the sắc or nặng tone.
func checked(r string) bool {
	return strings.HasSuffix(r, "c") || strings.HasSuffix(r, "ch") || strings.HasSuffix(r, "p") || strings.HasSuffix(r, "t")
}

// frontVowel reports whether the written rhyme starts with i, e or ê,
// before which c, g and ng are spelled k, gh and ngh.
func frontVowel(r string) bool {
	c, _ := utf8.DecodeRuneInString(r)
	return c == 'i' || c == 'e' || c == 'ê' || c == 'y'
}

// labial reports whether the onset is made with the lips: these never
// take a labial glide (no "boa", "muy").
func labial(on string) bool {
	switch on {
	case "b", "m", "p", "ph", "v":
		return true
	}
	return false
}

// spell returns the syllable of onset, rhyme and tone in NFC, or false
// when Vietnamese spelling does not allow it.
func spell(onset, rhyme string, t tone) (string, bool) {
	if checked(rhyme) && t != sac && t != nang {
		return "", false
	}
	glide := glideRhyme(rhyme)
	switch {
	case onset == "qu":
		if !glide {
			return "", false // qu only with glide rhymes
		}
		rhyme = rhyme[1:] // the u of qu is the glide: qu+oa = qua, qu+uy = quy
	case glide && (onset == "c" || labial(onset) || onset == "gi" || onset == "g" || onset == "r"):
		return "", false // /kw/ is written qu; no glide after labials
	case onset == "gi" && frontVowel(rhyme):
		return "", false // gi + i is written gi: leave it to "gi" + ""
	case onset == "p":
		// p begins native syllables only in a few loans: keep it with
		// the commonest rhymes.
		if rhyme != "in" && rhyme != "a" && rhyme != "ô" {
			return "", false
		}
	}
	if frontVowel(rhyme) {
		switch onset {
		case "c":
			onset = "k"
		case "g":
			onset = "gh"
		case "ng":
			onset = "ngh"
		}
	}
	if onset == "" && strings.HasPrefix(rhyme, "iê") {
		rhyme = "y" + strings.TrimPrefix(rhyme, "i") // yên, yêu
	}
	if onset == "" && rhyme == "ooc" {
		return "", false
	}
	return norm.NFC.String(onset + placeTone(rhyme, t, glide && onset != "qu")), true
}

// vowel reports whether r is a Vietnamese vowel letter (without tone).
func vowel(r rune) bool {
	return strings.ContainsRune("aăâeêioôơuưy", r)
}

// hatted reports whether r carries a quality mark: ă, â, ê, ô, ơ, ư.
func hatted(r rune) bool {
	return strings.ContainsRune("ăâêôơư", r)
}

// placeTone puts the mark of t on the main vowel of rhyme by the modern
// rules: on the vowel with a quality mark (the last one, so ươ takes it
// on ơ); else on the last vowel when a consonant ends the rhyme; else,
// in an open rhyme, on the second of two vowels after a glide (hoà,
// thuý) and the first otherwise (mùa, tài), and on the middle of three.
func placeTone(rhyme string, t tone, glide bool) string {
	if t == ngang {
		return rhyme
	}
	rs := []rune(rhyme)
	var vs []int // indexes of the vowels
	at := -1
	for i, r := range rs {
		if vowel(r) {
			vs = append(vs, i)
			if hatted(r) {
				at = i
			}
		}
	}
	if len(vs) == 0 {
		return rhyme
	}
	if at < 0 {
		last := vs[len(vs)-1]
		switch {
		case last < len(rs)-1: // closed: a consonant follows
			at = last
		case len(vs) == 1:
			at = vs[0]
		case len(vs) == 2 && glide:
			at = vs[1]
		case len(vs) == 2:
			at = vs[0]
		default:
			at = vs[1]
		}
	}
	return string(rs[:at+1]) + toneMarks[t] + string(rs[at+1:])
}
