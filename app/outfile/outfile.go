// Package outfile is the one way files holding personal data are created:
// exports, reports, problem lists, match results, filled forms, charts,
// backups, the database. Every file is made with mode 0600 (the owner
// alone reads it; on Windows the mode is ignored and the user's folder's
// ACL applies), whole or not at all: it is written beside its name and
// renamed into place. A test keeps other code from creating files.
package outfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/xuri/excelize/v2"

	"shequ/app/model"
)

// Mode is the permission of every file created.
const Mode fs.FileMode = 0o600

// InputError is an output that is one of the command's input files:
// writing it would destroy the input.
type InputError struct{ Path string }

func (e *InputError) Error() string {
	return fmt.Sprintf("outfile: %s is an input of the same command", e.Path)
}

// Unwrap makes errors.Is(err, model.ErrInvalid) true.
func (e *InputError) Unwrap() error { return model.ErrInvalid }

// NotInput returns an *InputError when out names the same file as one of
// inputs. Files are compared, not names: a symbolic or hard link, another
// spelling of the path or a relative one all name the input. An output
// that does not exist yet is no input; an input that does not exist (an
// empty name) is skipped.
func NotInput(out string, inputs ...string) error {
	oi, err := os.Stat(out)
	if err != nil {
		return nil
	}
	for _, in := range inputs {
		if in == "" {
			continue
		}
		if ii, err := os.Stat(in); err == nil && os.SameFile(oi, ii) {
			return &InputError{Path: out}
		}
	}
	return nil
}

// File is a file being written beside its final name; Commit gives it the
// name, Abort removes it.
type File struct {
	*os.File
	path string
	done bool
}

// Create starts the file path: a hidden partial file in the same folder
// (so the rename is atomic), with Mode.
func Create(path string) (*File, error) {
	dir, base := filepath.Split(path)
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36)+".tmp")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, Mode)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &File{File: f, path: path}, nil
	}
	return nil, fmt.Errorf("outfile: cannot create a partial file next to %s", path)
}

// Commit syncs and closes the file and renames it to its name, replacing
// what was there (whose mode does not carry over).
func (f *File) Commit() error {
	if f.done {
		return errors.New("outfile: file already committed or aborted")
	}
	f.done = true
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// Abort closes and removes the partial file; it is a no-op after Commit.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// Write creates path with what fill writes; on an error nothing is left.
func Write(path string, fill func(io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// SaveBook writes a workbook to path, as excelize's SaveAs would (the
// name's extension chooses the workbook's kind) but through Write: SaveAs
// makes the file with mode 0777 less the umask.
func SaveBook(x *excelize.File, path string) error {
	x.Path = path
	return Write(path, func(w io.Writer) error {
		_, err := x.WriteTo(w)
		return err
	})
}

// New creates path for writing, with Mode; it fails if path exists (the
// target of a restore, the database file before SQLite fills it).
func New(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, Mode)
}
