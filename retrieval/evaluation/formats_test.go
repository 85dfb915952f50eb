package evaluation

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/retrieval/corpus"
)

// TestMixedFormatsEvaluation holds retrieval to the bar on the corpus of
// every format (testdata/formats): Markdown, HTML, PDF, DOCX and plain
// text under other names, in Vietnamese and English.
func TestMixedFormatsEvaluation(t *testing.T) {
	ix, warnings, err := retrieval.Build(context.Background(), os.DirFS("../testdata/formats"), retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if len(warnings) != 1 || warnings[0].Source != "scan.pdf" || warnings[0].Kind != corpus.PDFNoText {
		t.Errorf("warnings = %v, want scan.pdf without a text layer", warnings)
	}
	rep, err := Evaluate(context.Background(), "askdocs", ix, readCases(t, "../testdata/formats.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	WriteReport(&b, rep)
	t.Log("\n" + b.String())
	for _, f := range rep.Failures {
		t.Error(f)
	}
}

// TestSameTextSameAnswers: the same report as .txt, .pdf and .docx,
// among the same other documents, answers the same questions equally
// well: an answer found in a PDF or DOCX is as good as one in plain text.
func TestSameTextSameAnswers(t *testing.T) {
	others := fstest.MapFS{}
	for _, name := range []string{"README", "FAQ.rst", "tin-tuc.TXT", "huong-dan-cai-dat.md", "moderation-guide.html", "community-policy.docx"} {
		b, err := os.ReadFile(filepath.Join("../testdata/formats", name))
		if err != nil {
			t.Fatal(err)
		}
		others[name] = &fstest.MapFile{Data: b}
	}
	scores := map[string]Scores{}
	// The PDF printed by Chromium, the same through cairo, and the report
	// written by LibreOffice as DOCX and as PDF.
	questions := map[string]string{"txt": "txt", "pdf": "pdf", "cairo.pdf": "pdf", "docx": "docx", "lo.docx": "docx", "lo.pdf": "lo-pdf"}
	for _, variant := range []string{"txt", "pdf", "cairo.pdf", "lo.pdf", "docx", "lo.docx"} {
		fsys := fstest.MapFS{}
		for k, v := range others {
			fsys[k] = v
		}
		b, err := os.ReadFile(filepath.Join("../testdata/formats-same", "bao-cao-thu-vien."+variant))
		if err != nil {
			t.Fatal(err)
		}
		ext := variant[strings.LastIndex(variant, ".")+1:]
		fsys["bao-cao-thu-vien."+ext] = &fstest.MapFile{Data: b}
		ix, _, err := retrieval.Build(context.Background(), fsys, retrieval.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Evaluate(context.Background(), "askdocs", ix, readCases(t, "../testdata/same-"+questions[variant]+".jsonl"))
		ix.Close()
		if err != nil {
			t.Fatal(err)
		}
		scores[variant] = rep.Overall
		for _, f := range rep.Failures {
			t.Logf("%s: %v", variant, f)
		}
	}
	txt := scores["txt"]
	if txt.HitAt1 < 1 {
		t.Errorf("txt: hit@1 %.3f, want 1", txt.HitAt1)
	}
	for _, ext := range []string{"pdf", "cairo.pdf", "lo.pdf", "docx", "lo.docx"} {
		s := scores[ext]
		if s.HitAt1 != txt.HitAt1 || s.HitAt3 != txt.HitAt3 || s.AnswerInExcerpt != txt.AnswerInExcerpt || s.FalseAbstain != txt.FalseAbstain || s.FalseAnswer != txt.FalseAnswer {
			t.Errorf("%s: hit@1 %.3f hit@3 %.3f answer %.3f abstained %d answered %d; txt: %.3f %.3f %.3f %d %d",
				ext, s.HitAt1, s.HitAt3, s.AnswerInExcerpt, s.FalseAbstain, s.FalseAnswer,
				txt.HitAt1, txt.HitAt3, txt.AnswerInExcerpt, txt.FalseAbstain, txt.FalseAnswer)
		}
	}
}
