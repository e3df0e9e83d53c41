//go:build !windows

package main

// attachParentConsole has nothing to do where a program always has the
// streams its caller gave it.
func attachParentConsole() {}
