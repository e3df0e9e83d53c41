//go:build windows

package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachParentConsole gives the command line its streams in cmd.exe and
// PowerShell. shequ.exe is a GUI-subsystem program, so that opening the
// window from the Start menu flashes no console; Windows gives such a
// program no standard streams, and a command's output would go nowhere.
// Streams the caller redirected (`> out.txt`, a pipe) are kept; the
// others are bound to the console of the program that started this one.
// Started without one (from Explorer), nothing changes.
func attachParentConsole() {
	attachStreams([]stream{
		{&os.Stdin, windows.STD_INPUT_HANDLE, "CONIN$"},
		{&os.Stdout, windows.STD_OUTPUT_HANDLE, "CONOUT$"},
		{&os.Stderr, windows.STD_ERROR_HANDLE, "CONOUT$"},
	}, consoleOps{usable: usableHandle, attach: attachConsole, open: openConsole})
}

// stream is one standard stream: its variable, its Windows number and the
// console device it reads or writes.
type stream struct {
	f      **os.File
	std    uint32
	device string
}

// consoleOps are the system calls attachStreams makes, apart for its test.
type consoleOps struct {
	usable func(*os.File) bool
	attach func() error
	open   func(device string) (*os.File, error)
}

// attachStreams attaches to the parent's console when a stream is
// missing and rebinds the missing streams to it.
func attachStreams(streams []stream, ops consoleOps) {
	var missing []stream
	for _, s := range streams {
		if !ops.usable(*s.f) {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 || ops.attach() != nil {
		return
	}
	for _, s := range missing {
		f, err := ops.open(s.device)
		if err != nil {
			continue
		}
		*s.f = f
		// Programs this one starts get the same streams.
		windows.SetStdHandle(s.std, windows.Handle(f.Fd()))
	}
}

// usableHandle is whether f is an open file, pipe or console: a GUI
// program's streams are null handles unless its caller redirected them.
func usableHandle(f *os.File) bool {
	if f == nil {
		return false
	}
	h := windows.Handle(f.Fd())
	if h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}

// procAttachConsole is kernel32's AttachConsole, which
// golang.org/x/sys/windows does not wrap.
var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// attachConsole attaches to the console of the program that started this
// one (ATTACH_PARENT_PROCESS); it fails when that one has none.
func attachConsole() error {
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	if r, _, err := procAttachConsole.Call(attachParentProcess); r == 0 {
		return err
	}
	return nil
}

// openConsole opens the attached console's input or output device.
func openConsole(device string) (*os.File, error) {
	name, err := windows.UTF16PtrFromString(device)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(name, windows.GENERIC_READ|windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(h), device), nil
}
