//go:build windows

package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/windows"
)

// fakeConsole records what attachStreams asks of the system.
type fakeConsole struct {
	attachErr error
	attached  int
	opened    []string
	files     map[string]*os.File
}

func (c *fakeConsole) ops(usable map[*os.File]bool) consoleOps {
	return consoleOps{
		usable: func(f *os.File) bool { return usable[f] },
		attach: func() error { c.attached++; return c.attachErr },
		open: func(device string) (*os.File, error) {
			c.opened = append(c.opened, device)
			return c.files[device], nil
		},
	}
}

func tempFile(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestAttachStreams(t *testing.T) {
	in, out, errf := tempFile(t, "in"), tempFile(t, "out"), tempFile(t, "err")
	conin, conout := tempFile(t, "conin"), tempFile(t, "conout")
	devices := map[string]*os.File{"CONIN$": conin, "CONOUT$": conout}
	cases := []struct {
		name       string
		usable     map[*os.File]bool
		attachErr  error
		wantAttach int
		want       [3]*os.File
	}{
		{"all redirected: no console", map[*os.File]bool{in: true, out: true, errf: true}, nil, 0, [3]*os.File{in, out, errf}},
		{"from cmd.exe: all to the console", nil, nil, 1, [3]*os.File{conin, conout, conout}},
		{"output piped: only the others", map[*os.File]bool{out: true}, nil, 1, [3]*os.File{conin, out, conout}},
		{"from Explorer: no console to attach", nil, errors.New("no console"), 1, [3]*os.File{in, out, errf}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fin, fout, ferr := in, out, errf
			fc := &fakeConsole{attachErr: c.attachErr, files: devices}
			attachStreams([]stream{
				{&fin, windows.STD_INPUT_HANDLE, "CONIN$"},
				{&fout, windows.STD_OUTPUT_HANDLE, "CONOUT$"},
				{&ferr, windows.STD_ERROR_HANDLE, "CONOUT$"},
			}, fc.ops(c.usable))
			if fc.attached != c.wantAttach {
				t.Errorf("attached %d times, want %d", fc.attached, c.wantAttach)
			}
			if got := [3]*os.File{fin, fout, ferr}; got != c.want {
				t.Errorf("streams %v, want %v", names(got), names(c.want))
			}
		})
	}
}

func names(fs [3]*os.File) []string {
	var n []string
	for _, f := range fs {
		n = append(n, filepath.Base(f.Name()))
	}
	return n
}

// TestUsableHandle: an open file is a stream, the null handle a GUI
// program is given and a closed file are not.
func TestUsableHandle(t *testing.T) {
	f := tempFile(t, "stream")
	if !usableHandle(f) {
		t.Error("an open file is not usable")
	}
	if usableHandle(os.NewFile(0, "null")) {
		t.Error("the null handle is usable")
	}
	if usableHandle(nil) {
		t.Error("no file is usable")
	}
	closed := tempFile(t, "closed")
	closed.Close()
	if usableHandle(closed) {
		t.Error("a closed file is usable")
	}
}
