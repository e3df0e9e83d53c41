package main

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestDefaultDB(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the data folder there is the system's, not XDG_DATA_HOME")
	}
	got := defaultDB(func(k string) string {
		if k == "XDG_DATA_HOME" {
			return "/data/home"
		}
		return ""
	})
	if want := filepath.Join("/data/home", "shequ", "shequ.db"); got != want {
		t.Errorf("defaultDB = %q, want %q", got, want)
	}
	if home, err := os.UserHomeDir(); err == nil {
		if got := defaultDB(func(string) string { return "" }); got != filepath.Join(home, ".local", "share", "shequ", "shequ.db") {
			t.Errorf("defaultDB without XDG_DATA_HOME = %q", got)
		}
	}
}
