package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/askdocs/askdocs/internal/cite"
	"github.com/askdocs/askdocs/retrieval"
)

func cmdAsk(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	ec, envErr := loadEngineConfig(getenv)
	fs := newFlags("ask")
	asJSON := fs.Bool("json", false, "print one JSON object per question (fields in README.md)")
	k := fs.Int("k", 3, "`N` results per question, 1 to 50")
	ec.flags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if envErr != nil {
		return envErr
	}
	if *k < 1 || *k > 50 {
		return usageError{fmt.Sprintf("ask: --k %d: want 1 to 50", *k)}
	}
	lang := strings.TrimSpace(getenv("BOT_LANG"))
	if lang != "" && lang != "vi" && lang != "en" {
		return usageError{fmt.Sprintf("ask: BOT_LANG %q: want vi or en", lang)}
	}
	log, err := newLogger(getenv, stderr, slog.LevelWarn)
	if err != nil {
		return err
	}
	ix, _, err := openEngine(ctx, ec, log, retrieval.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()
	fallback := messageLang(lang, getenv("LANG"))
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	answer := func(q string) error {
		a, err := ix.Search(ctx, q, *k)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(out, a)
		}
		writeHuman(out, a, replyLang(a.Question, fallback), isTerminal(stdout))
		return out.Flush()
	}
	if len(pos) > 0 {
		return answer(strings.Join(pos, " "))
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		if err := answer(sc.Text()); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read questions: %w", err)
	}
	return nil
}

// jsonAnswer is the --json contract: keep these names.
type jsonAnswer struct {
	Question string       `json:"question"`
	Answered bool         `json:"answered"`
	Results  []jsonResult `json:"results"`
}

type jsonResult struct {
	Source     string         `json:"source"`
	Line       int            `json:"line"`
	EndLine    int            `json:"end_line"`
	Title      string         `json:"title"`
	Section    string         `json:"section,omitempty"`
	Page       int            `json:"page,omitempty"`
	URL        string         `json:"url,omitempty"`
	Score      float64        `json:"score"`
	Excerpt    string         `json:"excerpt"`
	Highlights [][2]int       `json:"highlights"`
	Also       []jsonLocation `json:"also"`
}

type jsonLocation struct {
	Source  string `json:"source"`
	Line    int    `json:"line"`
	EndLine int    `json:"end_line"`
	Page    int    `json:"page,omitempty"`
}

func toJSON(a retrieval.Answer) jsonAnswer {
	ja := jsonAnswer{Question: a.Question, Answered: a.Answered, Results: []jsonResult{}}
	for _, r := range a.Results {
		jr := jsonResult{
			Source: r.Source, Line: r.Line, EndLine: r.EndLine, Title: r.Title,
			Section: r.Section, Page: r.Page, URL: r.URL,
			Score:      float64(int64(r.Score*10000+0.5)) / 10000,
			Excerpt:    r.Excerpt,
			Highlights: [][2]int{},
			Also:       []jsonLocation{},
		}
		for _, h := range r.Highlights {
			jr.Highlights = append(jr.Highlights, [2]int{h.Start, h.End})
		}
		for _, l := range r.Also {
			jr.Also = append(jr.Also, jsonLocation{l.Source, l.Line, l.EndLine, l.Page})
		}
		ja.Results = append(ja.Results, jr)
	}
	return ja
}

func writeJSON(w io.Writer, a retrieval.Answer) error {
	b, err := json.Marshal(toJSON(a))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// messageLang is the language of ask's messages when the question does
// not tell: BOT_LANG (botLang, already checked), else the language of
// the LANG locale when it is Vietnamese or English, else Vietnamese.
func messageLang(botLang, locale string) string {
	if botLang != "" {
		return botLang
	}
	locale = strings.ToLower(strings.TrimSpace(locale))
	if i := strings.IndexAny(locale, "_-.@"); i >= 0 {
		locale = locale[:i]
	}
	if locale == "en" {
		return "en"
	}
	return "vi"
}

// replyLang is the language of the messages answering question: its
// own when it is Vietnamese or English, else fallback.
func replyLang(question, fallback string) string {
	if l := retrieval.DetectLanguage(question); l == "vi" || l == "en" {
		return l
	}
	return fallback
}

// writeHuman prints an answer as numbered, cited excerpts: the content
// the bot posts. Matched words are bold on a terminal, **marked**
// otherwise.
func writeHuman(w io.Writer, a retrieval.Answer, lang string, tty bool) {
	en := lang == "en"
	if !a.Answered {
		if en {
			fmt.Fprintln(w, "The documents do not answer this question.")
			if len(a.Suggestions) > 0 {
				fmt.Fprintln(w, "They cover: "+strings.Join(a.Suggestions, "; "))
			}
		} else {
			fmt.Fprintln(w, "Tài liệu không có thông tin để trả lời câu hỏi này.")
			if len(a.Suggestions) > 0 {
				fmt.Fprintln(w, "Tài liệu nói về: "+strings.Join(a.Suggestions, "; "))
			}
		}
		fmt.Fprintln(w)
		return
	}
	open, closeMark := "**", "**"
	if tty {
		open, closeMark = "\x1b[1m", "\x1b[0m"
	}
	for i, r := range a.Results {
		fmt.Fprintf(w, "[%d] %s — %s\n", i+1, cite.Of(r), cite.Heading(r))
		fmt.Fprintf(w, "    %s\n", cite.Mark(r.Excerpt, r.Highlights, open, closeMark))
		if r.URL != "" {
			fmt.Fprintf(w, "    %s\n", r.URL)
		}
		if len(r.Also) > 0 {
			var also []string
			for _, l := range r.Also {
				also = append(also, cite.OfLocation(l))
			}
			label := "cũng có trong"
			if en {
				label = "also in"
			}
			fmt.Fprintf(w, "    %s: %s\n", label, strings.Join(also, ", "))
		}
	}
	fmt.Fprintln(w)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// newLogger builds the program's one logger, on stderr, at LOG_LEVEL.
func newLogger(getenv func(string) string, stderr io.Writer, def slog.Level) (*slog.Logger, error) {
	lvl, err := logLevel(getenv("LOG_LEVEL"), def)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl})), nil
}
