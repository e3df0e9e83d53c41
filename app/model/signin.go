package model

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SignInLimit is how many sign-in attempts one key (a user name, an
// address) may have checked within Window. An attempt is held from before
// its password is checked: attempts sent together cannot all be checked
// before the first failure is counted.
type SignInLimit struct {
	Max    int
	Window time.Duration
}

// SignIns is the limit of the desktop and of the server: five passwords a
// name in any 15 minutes.
var SignIns = SignInLimit{Max: 5, Window: 15 * time.Minute}

// Take decides on one more attempt at now, given the attempts held under
// a key (unix milliseconds, as the database keeps them). When it may be
// checked, ok is true and keep is held with it added; otherwise retry is
// when the oldest attempt leaves the window. Attempts older than the
// window are dropped either way.
func (l SignInLimit) Take(held string, now time.Time) (keep string, ok bool, retry time.Time) {
	from := now.Add(-l.Window).UnixMilli()
	var live []int64
	for _, f := range strings.Split(held, ",") {
		if ms, err := strconv.ParseInt(f, 10, 64); err == nil && ms > from {
			live = append(live, ms)
		}
	}
	slices.Sort(live)
	if len(live) >= l.Max {
		return joinMillis(live), false, time.UnixMilli(live[len(live)-l.Max]).Add(l.Window)
	}
	return joinMillis(append(live, now.UnixMilli())), true, time.Time{}
}

// Release gives back the attempt taken at at (a sign-in that succeeded
// counts against no one).
func (l SignInLimit) Release(held string, at time.Time) string {
	var live []int64
	dropped := false
	for _, f := range strings.Split(held, ",") {
		ms, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			continue
		}
		if !dropped && ms == at.UnixMilli() {
			dropped = true
			continue
		}
		live = append(live, ms)
	}
	return joinMillis(live)
}

// Count is the attempts held.
func (l SignInLimit) Count(held string) int {
	if held == "" {
		return 0
	}
	return strings.Count(held, ",") + 1
}

func joinMillis(ms []int64) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = strconv.FormatInt(m, 10)
	}
	return strings.Join(parts, ",")
}

// SignInKey is the key a user name's attempts are held under: a short
// hash of the name in lower case, so that a password typed into the name
// field is not kept in the clear, yet too short to tell which text it
// came from.
func SignInKey(name string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(name))))
	return "user:" + hex.EncodeToString(sum[:4])
}
