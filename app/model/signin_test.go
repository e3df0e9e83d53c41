package model_test

import (
	"testing"
	"time"

	"shequ/app/model"
)

// Five attempts in the window are taken; the sixth waits until the oldest
// is 15 minutes old, then goes; a success given back frees its place.
func TestSignInLimitTakesFiveInTheWindow(t *testing.T) {
	l := model.SignIns
	t0 := time.UnixMilli(1_800_000_000_000)
	held := ""
	for i := range 5 {
		var ok bool
		if held, ok, _ = l.Take(held, t0.Add(time.Duration(i)*time.Minute)); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	next, ok, retry := l.Take(held, t0.Add(10*time.Minute))
	if ok || !retry.Equal(t0.Add(15*time.Minute)) || next != held {
		t.Fatalf("sixth attempt: ok=%v retry=%v held %q; want refused until %v", ok, retry, next, t0.Add(15*time.Minute))
	}
	if _, ok, _ := l.Take(held, t0.Add(15*time.Minute+time.Millisecond)); !ok {
		t.Error("refused once the oldest left the window")
	}
	freed := l.Release(held, t0.Add(2*time.Minute))
	if l.Count(freed) != 4 {
		t.Fatalf("after a release %q holds %d", freed, l.Count(freed))
	}
	if _, ok, _ := l.Take(freed, t0.Add(10*time.Minute)); !ok {
		t.Error("a released place was not taken")
	}
	if l.Count("") != 0 || l.Release("", t0) != "" {
		t.Error("an empty list")
	}
}
