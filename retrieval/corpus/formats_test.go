package corpus

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// got is a passage as the tests compare it.
type got struct {
	Line, EndLine, Page int
	Section, Text       string
}

func passagesOf(t *testing.T, fsys fstest.MapFS, name string) (Document, []got) {
	t.Helper()
	c, ws, err := Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err, ws)
	}
	for _, d := range c.Docs {
		if d.Source != name {
			continue
		}
		var out []got
		for _, p := range c.Passages[d.First : d.First+d.N] {
			out = append(out, got{p.Line, p.EndLine, p.Page, p.Section, p.Text})
		}
		return d, out
	}
	t.Fatalf("%s not loaded (warnings %v)", name, ws)
	return Document{}, nil
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		title    string
		url      string
		format   Format
		passages []got
	}{{
		name: "guide/cai-dat.md",
		data: []byte("---\ntitle: \"Hướng dẫn\"\nurl: https://docs.example.org/cai-dat\ndate: 2024-05-01\nlang: vi\n---\n" +
			"<!--- ghi chú -->\n\n# Cài đặt\n\nĐoạn một\ndòng hai.\n\n## Linux\n\n- Mục một.\n- Mục **hai** có [liên kết](https://x.org).\n\n" +
			"```sh\ngo build\n\n./askdocs serve\n```\n\n| Hệ | RAM |\n|---|---|\n| Linux | 512 MB |\n\n# Gỡ lỗi\n\n> Trích dẫn.\n"),
		title: "Hướng dẫn", url: "https://docs.example.org/cai-dat", format: Markdown,
		passages: []got{
			{11, 12, 0, "Cài đặt", "Đoạn một\ndòng hai."},
			{16, 16, 0, "Cài đặt › Linux", "Mục một."},
			{17, 17, 0, "Cài đặt › Linux", "Mục hai có liên kết."},
			{20, 22, 0, "Cài đặt › Linux", "go build\n\n./askdocs serve"},
			{27, 27, 0, "Cài đặt › Linux", "Hệ: Linux; RAM: 512 MB"},
			{31, 31, 0, "Gỡ lỗi", "Trích dẫn."},
		},
	}, {
		name:  "no-front-matter.md",
		data:  []byte("<!---\nmarkup\n-->\n\nSetext title\n============\n\nText under it.\n"),
		title: "Setext title", format: Markdown,
		passages: []got{{8, 8, 0, "Setext title", "Text under it."}},
	}, {
		name:  "huong-dan-cai-dat.md",
		data:  []byte("---\n\nChỉ có nội dung, không có tiêu đề nào.\n"),
		title: "Huong dan cai dat", format: Markdown,
		passages: []got{{3, 3, 0, "", "Chỉ có nội dung, không có tiêu đề nào."}},
	}, {
		name:  "moderation-guide.html",
		data:  fixture(t, "formats/moderation-guide.html"),
		title: "Moderation guide & rules", format: HTML,
		passages: []got{
			{12, 13, 0, "Moderation guide", "Moderators review every report within 24 hours, including weekends and public holidays."},
			{16, 16, 0, "Moderation guide › Warnings", "A first offence earns a private warning from a moderator."},
			{17, 17, 0, "Moderation guide › Warnings", "A second offence within 30 days earns a 7 day mute."},
			{18, 18, 0, "Moderation guide › Warnings", "A third offence leads to a permanent ban decided by two moderators."},
			{21, 21, 0, "Moderation guide › Appeals", "Members may appeal a ban by e-mail to the café team; appeals are answered within 14 days."},
			{25, 25, 0, "Moderation guide › Appeals", "Channel: #general; Slow mode: 10 seconds"},
			{26, 26, 0, "Moderation guide › Appeals", "Channel: #announcements; Slow mode: read only"},
		},
	}, {
		name:  "h1-only.htm",
		data:  []byte("<html><body><h1>Quy định &amp; nội quy</h1><p>Không spam.</p></body></html>"),
		title: "Quy định & nội quy", format: HTML,
		passages: []got{{1, 1, 0, "Quy định & nội quy", "Không spam."}},
	}, {
		name:  "bao-cao-thu-vien.pdf",
		data:  fixture(t, "formats/bao-cao-thu-vien.pdf"),
		title: "Báo cáo hoạt động thư viện năm 2024", format: PDF,
		passages: []got{
			{1, 1, 1, "", "Báo cáo hoạt động thư viện năm 2024"},
			{2, 2, 1, "", "Tổng quan"},
			{3, 4, 1, "", "Thư viện trường Đại học Sư phạm Huế hiện lưu giữ 128.500 đầu sách, trong đó 42.300\nđầu sách điện tử được số hóa trong năm 2024."},
			{5, 5, 1, "", "Tổng kinh phí mua sắm tài liệu năm 2024 là 3,2 tỷ đồng, tăng 15% so với năm 2023."},
			{6, 6, 1, "", "Bạn đọc"},
			{7, 8, 1, "", "Trong năm, thư viện phục vụ 56.000 lượt bạn đọc; sinh viên năm nhất chiếm 38% số lượt\nmượn sách."},
			{9, 9, 1, "", "Phòng đọc tầng ba mở cửa đến 22 giờ từ thứ Hai đến thứ Sáu trong mùa thi."},
			{10, 10, 2, "", "Kế hoạch 2025"},
			{11, 12, 2, "", "Năm 2025, thư viện dự kiến lắp đặt 20 máy tự mượn trả sách và mở rộng kho tài liệu\ntiếng Lào."},
		},
	}, {
		name:  "bao-cao-thu-vien.cairo.pdf", // the same page through cairo (poppler's pdftocairo)
		data:  fixture(t, "formats-same/bao-cao-thu-vien.cairo.pdf"),
		title: "Báo cáo hoạt động thư viện năm 2024", format: PDF,
		passages: []got{
			{1, 1, 1, "", "Báo cáo hoạt động thư viện năm 2024"},
			{2, 2, 1, "", "Tổng quan"},
			{3, 4, 1, "", "Thư viện trường Đại học Sư phạm Huế hiện lưu giữ 128.500 đầu sách, trong đó 42.300\nđầu sách điện tử được số hóa trong năm 2024."},
			{5, 5, 1, "", "Tổng kinh phí mua sắm tài liệu năm 2024 là 3,2 tỷ đồng, tăng 15% so với năm 2023."},
			{6, 6, 1, "", "Bạn đọc"},
			{7, 8, 1, "", "Trong năm, thư viện phục vụ 56.000 lượt bạn đọc; sinh viên năm nhất chiếm 38% số lượt\nmượn sách."},
			{9, 9, 1, "", "Phòng đọc tầng ba mở cửa đến 22 giờ từ thứ Hai đến thứ Sáu trong mùa thi."},
			{10, 10, 2, "", "Kế hoạch 2025"},
			{11, 12, 2, "", "Năm 2025, thư viện dự kiến lắp đặt 20 máy tự mượn trả sách và mở rộng kho tài liệu\ntiếng Lào."},
		},
	}, {
		name:  "bao-cao-thu-vien.lo.pdf", // written by LibreOffice: Vietnamese letters from a fallback font, drawn after each line
		data:  fixture(t, "formats-same/bao-cao-thu-vien.lo.pdf"),
		title: "Báo cáo hoạt động thư viện năm 2024", format: PDF,
		passages: []got{
			{1, 2, 1, "", "Báo cáo hoạt động thư viện năm\n2024"},
			{3, 3, 1, "", "Tổng quan"},
			{4, 5, 1, "", "Thư viện trường Đại học Sư phạm Huế hiện lưu giữ 128.500 đầu sách, trong đó 42.300 đầu sách điện\ntử được số hóa trong năm 2024."},
			{6, 6, 1, "", "Tổng kinh phí mua sắm tài liệu năm 2024 là 3,2 tỷ đồng, tăng 15% so với năm 2023."},
			{7, 7, 1, "", "Bạn đọc"},
			{8, 8, 1, "", "Trong năm, thư viện phục vụ 56.000 lượt bạn đọc; sinh viên năm nhất chiếm 38% số lượt mượn sách."},
			{9, 9, 1, "", "Phòng đọc tầng ba mở cửa đến 22 giờ từ thứ Hai đến thứ Sáu trong mùa thi."},
			{10, 10, 1, "", "Kế hoạch 2025"},
			{11, 11, 1, "", "Năm 2025, thư viện dự kiến lắp đặt 20 máy tự mượn trả sách và mở rộng kho tài liệu tiếng Lào."},
		},
	}, {
		name:  "bao-cao-thu-vien.lo.docx", // written by LibreOffice
		data:  fixture(t, "formats-same/bao-cao-thu-vien.lo.docx"),
		title: "Báo cáo hoạt động thư viện năm 2024", format: DOCX,
		passages: []got{
			{3, 3, 0, "Báo cáo hoạt động thư viện năm 2024 › Tổng quan", "Thư viện trường Đại học Sư phạm Huế hiện lưu giữ 128.500 đầu sách, trong đó 42.300 đầu sách điện tử được số hóa trong năm 2024."},
			{4, 4, 0, "Báo cáo hoạt động thư viện năm 2024 › Tổng quan", "Tổng kinh phí mua sắm tài liệu năm 2024 là 3,2 tỷ đồng, tăng 15% so với năm 2023."},
			{6, 6, 0, "Báo cáo hoạt động thư viện năm 2024 › Bạn đọc", "Trong năm, thư viện phục vụ 56.000 lượt bạn đọc; sinh viên năm nhất chiếm 38% số lượt mượn sách."},
			{7, 7, 0, "Báo cáo hoạt động thư viện năm 2024 › Bạn đọc", "Phòng đọc tầng ba mở cửa đến 22 giờ từ thứ Hai đến thứ Sáu trong mùa thi."},
			{9, 9, 0, "Báo cáo hoạt động thư viện năm 2024 › Kế hoạch 2025", "Năm 2025, thư viện dự kiến lắp đặt 20 máy tự mượn trả sách và mở rộng kho tài liệu tiếng Lào."},
		},
	}, {
		name:  "community-policy.docx",
		data:  fixture(t, "formats/community-policy.docx"),
		title: "Community policy", format: DOCX,
		passages: []got{
			{3, 3, 0, "Events", "Online events are announced at least ten days in advance in the events channel."},
			{4, 4, 0, "Events", "Each event needs one host and one moderator who stay for the whole event."},
			{7, 7, 0, "Donations › Spending", "Donations pay for the bot's server, which costs 12 dollars a month, and for event prizes."},
			{10, 11, 0, "Donations › Spending", "Role: Moderator; Colour: green"},
			{12, 13, 0, "Donations › Spending", "Role: Host; Colour: orange"},
		},
	}, {
		name:  "FAQ.rst",
		data:  fixture(t, "formats/FAQ.rst"),
		title: "Frequently asked questions", format: Text,
		passages: []got{
			{3, 3, 0, "", "Frequently asked questions"},
			{6, 7, 0, "", "How do I get the member role?\nRead the rules channel and react with a green tick; the role is given within five minutes."},
		},
	}, {
		name:  "CHANGELOG",
		data:  []byte("=====\nv1.2: sửa lỗi trích dẫn.\n"),
		title: "v1.2: sửa lỗi trích dẫn", format: Text, // not "v1"
		passages: []got{{2, 2, 0, "", "v1.2: sửa lỗi trích dẫn."}},
	}, {
		name:  "notes.v2",
		data:  []byte("Ghi chú cuộc họp."),
		title: "Ghi chú cuộc họp", format: Text,
		passages: []got{{1, 1, 0, "", "Ghi chú cuộc họp."}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ps := passagesOf(t, fstest.MapFS{tt.name: {Data: tt.data}}, tt.name)
			if d.Title != tt.title || d.URL != tt.url || d.Format != tt.format {
				t.Errorf("title %q url %q format %q, want %q %q %q", d.Title, d.URL, d.Format, tt.title, tt.url, tt.format)
			}
			if !reflect.DeepEqual(ps, tt.passages) {
				t.Errorf("passages:\n%s", diffPassages(ps, tt.passages))
			}
		})
	}
}

func diffPassages(got, want []got) string {
	var b strings.Builder
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w any = "-", "-"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if !reflect.DeepEqual(g, w) {
			b.WriteString("  got  " + strings.ReplaceAll(sprint(g), "\n", `\n`) + "\n  want " + strings.ReplaceAll(sprint(w), "\n", `\n`) + "\n")
		}
	}
	return b.String()
}

func sprint(v any) string { return strings.TrimSpace(strings.ReplaceAll(fmtV(v), "\t", " ")) }

// TestSkippedByKind: every file that cannot be used is named with the
// kind of reason, and Summary counts them.
func TestSkippedByKind(t *testing.T) {
	notZip := []byte("PK\x03\x04 broken")
	var noDoc bytes.Buffer
	zw := zip.NewWriter(&noDoc)
	w, _ := zw.Create("other.xml")
	w.Write([]byte("<x/>"))
	zw.Close()
	fsys := fstest.MapFS{
		"ok.txt":         {Data: []byte("Một tài liệu.")},
		"a.png":          {Data: []byte("\x89PNG")},
		"b.JPG":          {Data: []byte("\xff\xd8")},
		"scan.pdf":       {Data: fixture(t, "formats/scan.pdf")},
		"broken.pdf":     {Data: []byte("%PDF-1.4 nothing")},
		"broken.docx":    {Data: notZip},
		"nobody.docx":    {Data: noDoc.Bytes()},
		"legacy.txt":     {Data: []byte("H\xe3p t\xe1c")},
		"data.bin2":      {Data: []byte("\x00\x01\x02")},
		"old.doc":        {Data: []byte("\xd0\xcf")},
		"song.mp3":       {Data: []byte("ID3")},
		"site.zip":       {Data: []byte("PK")},
		"empty.md":       {Data: nil},
		"only-markup.md": {Data: []byte("<!-- x -->\n\n---\n")},
	}
	_, ws, err := Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]Kind{}
	for _, w := range ws {
		kinds[w.Source] = w.Kind
	}
	want := map[string]Kind{
		"a.png": Image, "b.JPG": Image, "scan.pdf": PDFNoText, "broken.pdf": Damaged,
		"broken.docx": Damaged, "nobody.docx": Damaged, "legacy.txt": InvalidUTF8,
		"data.bin2": Binary, "old.doc": Unsupported, "song.mp3": Media, "site.zip": Archive,
		"empty.md": Empty, "only-markup.md": NoText,
	}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds:\n got %v\nwant %v", kinds, want)
	}
	const wantSummary = "skipped 13: 3 damaged, 2 images (not text), 1 PDF without a text layer, 1 archive (not text), " +
		"1 audio or video (not text), 1 binary (not text), 1 empty, 1 invalid UTF-8, 1 no text, 1 unsupported format"
	if s := Summary(ws); s != wantSummary {
		t.Errorf("summary:\n got %q\nwant %q", s, wantSummary)
	}
	if s := Summary(nil); s != "skipped 0" {
		t.Errorf("summary of none = %q", s)
	}
}

// TestFolderLinks: a linked folder is read, a loop of links is not
// followed forever, and a file reached twice is indexed once under its
// first path.
func TestFolderLinks(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	writeDocs(t, outside, map[string]string{"shared/policy.md": "Chính sách chung."})
	writeDocs(t, root, map[string]string{"a/guide.txt": "Hướng dẫn."})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(outside, "shared"), filepath.Join(root, "b-shared")))   // followed
	must(os.Symlink(filepath.Join(root, "a"), filepath.Join(root, "c-again")))            // a second way to a/
	must(os.Symlink(root, filepath.Join(root, "a", "loop")))                              // a loop
	must(os.Symlink(filepath.Join(root, "a", "guide.txt"), filepath.Join(root, "d.txt"))) // a file twice
	must(os.Symlink(filepath.Join(root, "missing"), filepath.Join(root, "e-broken")))
	files, ws, err := List(context.Background(), os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Source)
	}
	if want := []string{"a/guide.txt", "b-shared/policy.md"}; !reflect.DeepEqual(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	var warned []string
	for _, w := range ws {
		warned = append(warned, w.String())
	}
	want := []string{
		"a/loop: folder already read as . (a link, or a loop of links)",
		"c-again: folder already read as a (a link, or a loop of links)",
		"d.txt: same file as a/guide.txt",
		"e-broken: broken link: no such file or directory",
	}
	if !reflect.DeepEqual(warned, want) {
		t.Errorf("warnings:\n got %q\nwant %q", warned, want)
	}
}

func TestFileTitle(t *testing.T) {
	for in, want := range map[string]string{
		"huong-dan-cai-dat.md": "Huong dan cai dat",
		"docs/FAQ":             "FAQ",
		"báo_cáo.2024.pdf":     "Báo cáo 2024",
		"ghi chú  họp.txt":     "Ghi chú họp",
		"---.md":               "---.md",
	} {
		if got := fileTitle(in); got != want {
			t.Errorf("fileTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestURLTemplate(t *testing.T) {
	for _, tt := range []struct {
		tmpl, source string
		line, page   int
		want, err    string
	}{
		{"https://github.com/org/docs/blob/main/{path}#L{line}", "guide/cài đặt.md", 17, 0, "https://github.com/org/docs/blob/main/guide/c%C3%A0i%20%C4%91%E1%BA%B7t.md#L17", ""},
		{"https://docs.example.org/{path_noext}", "guide/install.md", 3, 0, "https://docs.example.org/guide/install", ""},
		{"https://x.org/{path}#page={page}", "r (1).pdf", 9, 4, "https://x.org/r%20%281%29.pdf#page=4", ""},
		{"", "a.md", 1, 0, "", ""},
		{"ftp://x.org/{path}", "", 0, 0, "", `"ftp://x.org/{path}": want an http:// or https:// address`},
		{"https://x.org/{file}", "", 0, 0, "", `unknown field in "https://x.org/{file}": use {path}, {path_noext}, {line} or {page}`},
		{"https://user:pw@x.org/{path}", "", 0, 0, "", `"https://user:pw@x.org/{path}": an address with a user name or password is not allowed`},
		{"docs/{path}", "", 0, 0, "", `"docs/{path}": want an http:// or https:// address`},
	} {
		u, err := ParseURLTemplate(tt.tmpl)
		if (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
			t.Errorf("ParseURLTemplate(%q) error %v, want %q", tt.tmpl, err, tt.err)
			continue
		}
		if got := u.Expand(tt.source, tt.line, tt.page); err == nil && got != tt.want {
			t.Errorf("%q.Expand(%q) = %q, want %q", tt.tmpl, tt.source, got, tt.want)
		}
	}
	for in, want := range map[string]string{
		"https://x.org/a_b(c)": "https://x.org/a_b%28c%29",
		"javascript:alert(1)":  "",
		"https://@everyone":    "",
		"/relative":            "",
	} {
		if got := SafeURL(in); got != want {
			t.Errorf("SafeURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func fmtV(v any) string { return fmt.Sprintf("%+v", v) }

// TestDOCXTextBoxesAndRevisions: a text box's paragraphs belong to the
// paragraph holding them, its fallback copy is not read twice, and
// deleted text and field codes are not text.
func TestDOCXTextBoxesAndRevisions(t *testing.T) {
	body := `<w:p><w:r><w:t>Trước hộp.</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent>` +
		`<w:p><w:r><w:t>Trong hộp.</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Trong hộp.</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>` +
		`<w:r><w:t xml:space="preserve"> Sau hộp</w:t></w:r><w:del><w:r><w:delText>đã xoá</w:delText></w:r></w:del>` +
		`<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>.</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Mức hai</w:t></w:r></w:p><w:p><w:r><w:t>Đoạn &amp; cuối.</w:t></w:r></w:p>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="w" xmlns:mc="mc"><w:body>` + body + `</w:body></w:document>`))
	zw.Close()
	d, ps := passagesOf(t, fstest.MapFS{"hop.docx": {Data: buf.Bytes()}}, "hop.docx")
	want := []got{{1, 1, 0, "", "Trước hộp. Trong hộp. Sau hộp."}, {3, 3, 0, "Mức hai", "Đoạn & cuối."}}
	if !reflect.DeepEqual(ps, want) || d.Title != "Mức hai" {
		t.Errorf("title %q passages:\n%s", d.Title, diffPassages(ps, want))
	}
}

func TestCollapseSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\nb", "Việt\u00a0Nam", "ồ ồ", "\t", "x\u2003y z"} {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}
