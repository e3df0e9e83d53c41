package app

import "time"

// SetVerify replaces the app's password check (tests count the checks).
func SetVerify(a *App, verify func(hash, password string) bool) { a.verify = verify }

// SetClock replaces the app's clock (tests move it past the lock window).
func SetClock(a *App, now func() time.Time) { a.now = now }
