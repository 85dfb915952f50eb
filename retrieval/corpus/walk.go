package corpus

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// File is a document file as listed, before it is read.
type File struct {
	Source  string
	Size    int64
	ModTime time.Time
}

// maxDepth bounds the walk where the file system cannot tell two paths
// to one folder apart (see fileID).
const maxDepth = 64

// List returns the files below the root of fsys that may be documents,
// sorted by path, with their size and modification time, and warnings for
// what cannot be listed. Hidden files and folders (".git") are not
// documents. Links to folders are followed; a folder or file reached a
// second time, through a link or a loop of links, is read once, under the
// first path, and the second path is reported.
func List(ctx context.Context, fsys fs.FS) ([]File, []Warning, error) {
	w := walker{ctx: ctx, fsys: fsys, dirs: map[fileKey]string{}, files: map[fileKey]string{}}
	if info, err := fs.Stat(fsys, "."); err != nil {
		return nil, nil, fmt.Errorf("retrieval: walk documents: %w", err)
	} else if k, ok := fileID(info); ok {
		w.dirs[k] = "."
	}
	if err := w.dir(".", 0); err != nil {
		return nil, w.warnings, err
	}
	sort.Slice(w.out, func(i, j int) bool { return w.out[i].Source < w.out[j].Source })
	return w.out, w.warnings, nil
}

type walker struct {
	ctx         context.Context
	fsys        fs.FS
	dirs, files map[fileKey]string // first path of each folder and file seen
	out         []File
	warnings    []Warning
}

func (w *walker) warn(p string, k Kind, reason string) {
	w.warnings = append(w.warnings, Warning{Source: p, Kind: k, Reason: reason})
}

func (w *walker) dir(dir string, depth int) error {
	entries, err := fs.ReadDir(w.fsys, dir)
	if err != nil {
		if dir == "." {
			return fmt.Errorf("retrieval: walk documents: %w", err)
		}
		w.warn(dir, Unreadable, "unreadable folder: "+errText(err))
		// ReadDir may return the entries it read before the error.
	}
	for _, e := range entries {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue // .git, .DS_Store and the like
		}
		p := path.Join(dir, name)
		var info fs.FileInfo
		if e.Type()&fs.ModeSymlink != 0 {
			info, err = fs.Stat(w.fsys, p) // follows the link
			if err != nil {
				w.warn(p, Unreadable, "broken link: "+errText(err))
				continue
			}
		} else if info, err = e.Info(); err != nil {
			w.warn(p, Unreadable, "unreadable: "+errText(err))
			continue
		}
		k, hasID := fileID(info)
		switch {
		case info.IsDir():
			if hasID {
				if first, seen := w.dirs[k]; seen {
					w.warn(p, Duplicate, "folder already read as "+first+" (a link, or a loop of links)")
					continue
				}
				w.dirs[k] = p
			} else if depth >= maxDepth {
				w.warn(p, Unreadable, fmt.Sprintf("folder more than %d levels deep (a loop of links?)", maxDepth))
				continue
			}
			if err := w.dir(p, depth+1); err != nil {
				return err
			}
		case info.Mode().IsRegular():
			if hasID {
				if first, seen := w.files[k]; seen {
					w.warn(p, Duplicate, "same file as "+first)
					continue
				}
				w.files[k] = p
			}
			w.out = append(w.out, File{Source: p, Size: info.Size(), ModTime: info.ModTime()})
		default:
			w.warn(p, NotRegular, "not a regular file")
		}
	}
	return nil
}
