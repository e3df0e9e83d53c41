package replica_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"shequ/store"
)

// The server keeps the newest audit entry each desktop reports: a trail
// cut afterwards, even by someone who also set the head beside the key
// back (they held the computer, not just the file), is told at the next
// round.
func TestTheServerWitnessesTheAuditHead(t *testing.T) {
	stores(t, func(t *testing.T, spec func() string) {
		t.Setenv(store.KeyDirEnv, t.TempDir())
		w := newWorld(t, spec(), 20)
		a := w.replica("admin")
		ctx := context.Background()
		for range 3 {
			a.Login(ctx, "admin", "wrong") // entries to cut
		}
		for range 2 {
			if res := a.sync(t); res.AuditCut != 0 {
				t.Fatalf("untouched trail: server says entry %d is gone", res.AuditCut)
			}
		}
		raw := rawDB(t, "sqlite:"+a.file)
		var keyID, headID string
		var last int64
		var hash string
		if err := raw.QueryRow("SELECT key_id, head_id FROM audit_key").Scan(&keyID, &headID); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(`DROP TRIGGER audit_append_only_delete; DELETE FROM audit WHERE id > (SELECT max(id) - 2 FROM audit);
			CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'no'); END`); err != nil {
			t.Fatal(err)
		}
		if err := raw.QueryRow("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").Scan(&last, &hash); err != nil {
			t.Fatal(err)
		}
		dir, _ := store.KeyDir()
		b, _ := json.Marshal(store.AuditHead{LastID: last, Hash: hash, KeyID: keyID, DB: a.file})
		if err := os.WriteFile(filepath.Join(dir, headID+".head"), b, 0o600); err != nil {
			t.Fatal(err)
		}
		if v, err := a.VerifyAudit(ctx); err != nil || !v.Whole() {
			t.Fatalf("the local check was to be fooled: %+v %v", v, err)
		}
		if res := a.sync(t); res.AuditCut == 0 {
			t.Fatal("a cut trail went unreported by the server")
		}
	})
}
