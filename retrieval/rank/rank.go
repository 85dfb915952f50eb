// Package rank owns the model that orders candidate passages and decides
// whether to answer at all: the named features a candidate is scored on,
// the weights that combine them, the abstention score and its threshold,
// and the fitting of all of these on question sets (Fit, CrossValidate).
//
// Every number that steers ranking is a field of Model, read from
// model.json (embedded) and written by "askdocs tune". A newcomer changes
// ranking here: add a feature to Feature and its computation in package
// retrieval (features.go), then refit.
//
// It knows nothing of indexes or text: it sees only feature vectors.
package rank

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
)

// Feature names one signal computed for each candidate passage.
type Feature int

// The ranking features. Each lies in [0, 1].
const (
	// BM25Fold is BM25 over the question's content syllables, folded
	// (diacritics removed), divided by its largest possible value.
	BM25Fold Feature = iota
	// BM25Exact is the same BM25, where a word typed with diacritics
	// counts only when the passage has it with the same diacritics.
	BM25Exact
	// BM25Bigram is BM25 over the question's adjacent syllable pairs
	// found side by side in the passage.
	BM25Bigram
	// Coverage is the share of the question's weight (each thing asked
	// about counted once, by idf) that the passage holds.
	Coverage
	// DocCoverage is Coverage with credit for names the passage's
	// document gives elsewhere (its title, its other passages).
	DocCoverage
	// Proximity is how tightly the matched words cluster: distinct
	// concepts over the length of the shortest run holding them all.
	Proximity
	// Soft is the share of the question's weak words (plain syllables
	// that may be function words) the passage holds.
	Soft
	// RareCoverage is Coverage with each thing asked about weighing the
	// square of its weight, so that the rarest words decide.
	RareCoverage
	// BigramCover is the share of the question's bigram weight the
	// passage holds side by side.
	BigramCover
	// DocShare is the share of the question's weight that the passage's
	// document holds anywhere (the article's topic, named once at its top).
	DocShare
	// Phrasing is the share of the question's adjacent words, as typed
	// (question and function words too), that the passage has side by
	// side.
	Phrasing
	// KindMatch is 1 when the question asks for a kind of answer (a
	// number, a date, a place) and the passage holds one.
	KindMatch
	// KindMiss is 1 when the question asks for a kind of answer the
	// passage does not hold.
	KindMiss
	// NumFeatures counts the features.
	NumFeatures
)

var featureNames = [NumFeatures]string{"bm25_fold", "bm25_exact", "bm25_bigram", "coverage", "doc_coverage",
	"proximity", "soft", "rare_coverage", "bigram_cover", "doc_share", "phrasing", "kind_match", "kind_miss"}

func (f Feature) String() string {
	if f < 0 || f >= NumFeatures {
		return fmt.Sprintf("Feature(%d)", int(f))
	}
	return featureNames[f]
}

// Vector holds one candidate's features.
type Vector [NumFeatures]float64

// Signal names one input of the abstention decision, measured on the
// best-ranked candidate and the question. The kind of answer asked for
// (KindMatch, KindMiss) ranks but is no signal: no question is declined
// because its passage lacks a digit (a "when" may be answered "after
// the war").
type Signal int

// The abstention signals.
const (
	// TopScore is the ranking score of the best candidate.
	TopScore Signal = iota
	// TopCoverage is the best candidate's Coverage.
	TopCoverage
	// TopDocCoverage is its DocCoverage.
	TopDocCoverage
	// TopBM25 is its BM25Fold.
	TopBM25
	// TopBigram is its BM25Bigram.
	TopBigram
	// Unknown is the share of the question's weight in words the
	// documents never use.
	Unknown
	// MissingName is the share of the question's weight in names that
	// neither the passage nor its document holds.
	MissingName
	// MissingKey is the share of the question's weight in its rarest
	// content word when the passage lacks it.
	MissingKey
	// UnknownBigram is the share of the question's adjacent content
	// syllables that never stand together in the documents.
	UnknownBigram
	// TopDocShare is the best candidate's DocShare.
	TopDocShare
	// TopBigramCover is the best candidate's BigramCover.
	TopBigramCover
	// TopRareCoverage is the best candidate's RareCoverage.
	TopRareCoverage
	// TopBM25All is the best candidate's BM25 over every term of the
	// question, syllables and bigrams, including those the documents
	// lack, as a share of the most the question could score.
	TopBM25All
	// TopPhrasing is the best candidate's Phrasing.
	TopPhrasing
	// Foreign is 1 for a question in another language than Vietnamese:
	// the words of other languages are spread otherwise, and the other
	// signals read otherwise for them.
	Foreign
	// UnknownWords is the share of the question's content words (by
	// count, not weight) that the documents never use.
	UnknownWords
	// NumSignals counts the signals.
	NumSignals
)

var signalNames = [NumSignals]string{"top_score", "top_coverage", "top_doc_coverage", "top_bm25", "top_bigram",
	"unknown", "missing_name", "missing_key", "unknown_bigram", "top_doc_share", "top_bigram_cover", "top_rare_coverage", "top_bm25_all", "top_phrasing", "foreign", "unknown_words"}

func (s Signal) String() string {
	if s < 0 || s >= NumSignals {
		return fmt.Sprintf("Signal(%d)", int(s))
	}
	return signalNames[s]
}

// Signals holds the abstention inputs of one question.
type Signals [NumSignals]float64

// Model is every number that steers ranking and abstention.
type Model struct {
	// Candidates is how many passages the postings walk returns for
	// ranking.
	Candidates int `json:"candidates"`
	// K1 and B are the BM25 parameters of the BM25 features.
	K1 float64 `json:"k1"`
	B  float64 `json:"b"`
	// Weights combine the features into a candidate's score.
	Weights Weights `json:"weights"`
	// Abstain combines the signals into the log-odds that the documents
	// answer a Vietnamese question, and AbstainOther a question in
	// another language: words are spread otherwise in each, so the same
	// coverage says otherwise.
	Abstain      Abstain `json:"abstain"`
	AbstainOther Abstain `json:"abstain_other"`
	// Threshold is the confidence (0 to 1) from which the engine answers.
	Threshold float64 `json:"threshold"`
	// KeepShare drops results scoring under this share of the best one.
	KeepShare float64 `json:"keep_share"`
	// Fitted says how and on what the model was fitted.
	Fitted string `json:"fitted,omitempty"`
}

// Weights are the ranking weights, one per Feature.
type Weights struct {
	BM25Fold     float64 `json:"bm25_fold"`
	BM25Exact    float64 `json:"bm25_exact"`
	BM25Bigram   float64 `json:"bm25_bigram"`
	Coverage     float64 `json:"coverage"`
	DocCoverage  float64 `json:"doc_coverage"`
	Proximity    float64 `json:"proximity"`
	Soft         float64 `json:"soft"`
	RareCoverage float64 `json:"rare_coverage"`
	BigramCover  float64 `json:"bigram_cover"`
	DocShare     float64 `json:"doc_share"`
	Phrasing     float64 `json:"phrasing"`
	KindMatch    float64 `json:"kind_match"`
	KindMiss     float64 `json:"kind_miss"`
}

// fields returns the weights in Feature order.
func (w *Weights) fields() [NumFeatures]*float64 {
	return [NumFeatures]*float64{&w.BM25Fold, &w.BM25Exact, &w.BM25Bigram, &w.Coverage, &w.DocCoverage,
		&w.Proximity, &w.Soft, &w.RareCoverage, &w.BigramCover, &w.DocShare, &w.Phrasing, &w.KindMatch, &w.KindMiss}
}

// Abstain are the abstention weights, one per Signal, and a bias.
type Abstain struct {
	Bias           float64 `json:"bias"`
	TopScore       float64 `json:"top_score"`
	TopCoverage    float64 `json:"top_coverage"`
	TopDocCoverage float64 `json:"top_doc_coverage"`
	TopBM25        float64 `json:"top_bm25"`
	TopBigram      float64 `json:"top_bigram"`
	Unknown        float64 `json:"unknown"`
	MissingName    float64 `json:"missing_name"`
	MissingKey     float64 `json:"missing_key"`
	UnknownBigram  float64 `json:"unknown_bigram"`
	TopDocShare    float64 `json:"top_doc_share"`
	TopBigramCover float64 `json:"top_bigram_cover"`
	TopRareCover   float64 `json:"top_rare_coverage"`
	TopBM25All     float64 `json:"top_bm25_all"`
	TopPhrasing    float64 `json:"top_phrasing"`
	Foreign        float64 `json:"foreign"`
	UnknownWords   float64 `json:"unknown_words"`
}

func (a *Abstain) fields() [NumSignals]*float64 {
	return [NumSignals]*float64{&a.TopScore, &a.TopCoverage, &a.TopDocCoverage, &a.TopBM25, &a.TopBigram,
		&a.Unknown, &a.MissingName, &a.MissingKey, &a.UnknownBigram, &a.TopDocShare, &a.TopBigramCover, &a.TopRareCover, &a.TopBM25All, &a.TopPhrasing, &a.Foreign, &a.UnknownWords}
}

// Score is a candidate's ranking score.
func (m *Model) Score(v *Vector) float64 {
	s := 0.0
	for i, w := range m.Weights.fields() {
		s += *w * v[i]
	}
	return s
}

// Confidence is the probability, by the abstention model, that the
// documents answer a question with these signals.
func (m *Model) Confidence(s *Signals) float64 {
	a := m.abstainFor(s)
	z := a.Bias
	for i, w := range a.fields() {
		z += *w * s[i]
	}
	return sigmoid(z)
}

// abstainFor returns the abstention weights for a question with signals
// s: AbstainOther when it is not Vietnamese.
func (m *Model) abstainFor(s *Signals) *Abstain {
	if s[Foreign] > 0 {
		return &m.AbstainOther
	}
	return &m.Abstain
}

// Answers reports whether a confidence is at or above the threshold.
func (m *Model) Answers(confidence float64) bool { return confidence >= m.Threshold }

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

//go:embed model.json
var modelData []byte

// Default returns the model in model.json, as fitted by "askdocs tune".
func Default() *Model {
	m, err := Parse(modelData)
	if err != nil {
		panic("rank: embedded model.json: " + err.Error()) // a build defect, caught by tests
	}
	return m
}

// Parse reads a model written by Marshal, rejecting unknown fields and
// values out of range.
func Parse(data []byte) (*Model, error) {
	var m Model
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("rank: parse model: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Validate reports a model that cannot work.
func (m *Model) Validate() error {
	switch {
	case m.Candidates < 1 || m.Candidates > 1000:
		return fmt.Errorf("rank: model: candidates %d out of range 1…1000", m.Candidates)
	case !(m.K1 > 0 && m.K1 <= 10):
		return fmt.Errorf("rank: model: k1 %v out of range (0, 10]", m.K1)
	case !(m.B >= 0 && m.B <= 1):
		return fmt.Errorf("rank: model: b %v out of range [0, 1]", m.B)
	case !(m.Threshold >= 0 && m.Threshold <= 1):
		return fmt.Errorf("rank: model: threshold %v out of range [0, 1]", m.Threshold)
	case !(m.KeepShare >= 0 && m.KeepShare < 1):
		return fmt.Errorf("rank: model: keep_share %v out of range [0, 1)", m.KeepShare)
	}
	for i, w := range m.Weights.fields() {
		if math.IsNaN(*w) || math.IsInf(*w, 0) {
			return fmt.Errorf("rank: model: weight %s is %v", Feature(i), *w)
		}
	}
	for _, a := range []*Abstain{&m.Abstain, &m.AbstainOther} {
		for i, w := range a.fields() {
			if math.IsNaN(*w) || math.IsInf(*w, 0) || math.IsNaN(a.Bias) || math.IsInf(a.Bias, 0) {
				return fmt.Errorf("rank: model: abstain weight %s is %v", Signal(i), *w)
			}
		}
	}
	return nil
}

// Marshal writes the model as indented JSON, as model.json holds it.
func (m *Model) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("rank: write model: %w", err)
	}
	return append(b, '\n'), nil
}
