package retrieval

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Origin says where a corpus came from: a folder, by its absolute path,
// or documents embedded in the program, by name and a hash of their
// content. A stored index records it, so that it is opened again with
// the same documents and never silently replaced by others.
type Origin struct {
	Dir  string // absolute path of the documents folder; "" if embedded
	Name string // embedded documents' name, such as "embedded seeds"
	Hash string // embedded documents: "sha256:" and the hex digest
}

// Known reports whether o names any documents: indexes stored by
// askdocs before origins were recorded, and by Open, record none.
func (o Origin) Known() bool { return o.Dir != "" || o.Name != "" }

// String is the folder, or the embedded documents' name and a short hash.
func (o Origin) String() string {
	switch {
	case o.Dir != "":
		return o.Dir
	case o.Name == "":
		return "unrecorded documents"
	case len(o.Hash) > 19:
		return o.Name + " " + o.Hash[:19]
	}
	return o.Name
}

// Same reports whether o and p are the same documents: the same folder,
// or embedded documents of the same name (whose content may differ from
// one version of the program to the next: they are updated in place).
func (o Origin) Same(p Origin) bool {
	if o.Dir != "" || p.Dir != "" {
		return o.Dir == p.Dir
	}
	return o.Name == p.Name
}

// Source is a set of documents and where they came from.
type Source struct {
	FS     fs.FS
	Origin Origin
}

// Folder is the documents of the folder dir, named by its absolute path.
func Folder(dir string) (Source, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Source{}, fmt.Errorf("retrieval: docs folder %s: %w", dir, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return Source{}, fmt.Errorf("docs folder %s: %w", dir, unwrapPathError(err))
	}
	if !st.IsDir() {
		return Source{}, fmt.Errorf("docs folder %s: not a folder", dir)
	}
	return Source{FS: os.DirFS(abs), Origin: Origin{Dir: abs}}, nil
}

// Embedded is documents compiled into the program, such as the seeds,
// named name and identified by a hash of every file's path and content.
func Embedded(name string, fsys fs.FS) (Source, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "%s\x00", p)
		_, err = io.Copy(h, f)
		h.Write([]byte{0})
		return err
	})
	if err != nil {
		return Source{}, fmt.Errorf("retrieval: read %s: %w", name, err)
	}
	return Source{FS: fsys, Origin: Origin{Name: name, Hash: "sha256:" + hex.EncodeToString(h.Sum(nil))}}, nil
}

// OtherCorpusError is OpenLive's refusal to replace a stored index built
// from other documents than those it was given.
type OtherCorpusError struct {
	Index    string // the index folder
	Recorded Origin // what the index was built from
	Given    Origin // what OpenLive was given
}

func (e *OtherCorpusError) Error() string {
	return fmt.Sprintf("retrieval: index %s was built from %s, not %s", e.Index, e.Recorded, e.Given)
}

// UnrecordedOriginError is OpenLive's refusal to update a stored index
// that does not record its documents when it was given none.
type UnrecordedOriginError struct {
	Index string
}

func (e *UnrecordedOriginError) Error() string {
	return fmt.Sprintf("retrieval: index %s does not record which documents it was built from (built by an older askdocs, or damaged)", e.Index)
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
