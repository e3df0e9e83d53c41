package app

import (
	"bufio"
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/argon2"

	"shequ/app/model"
	"shequ/app/outfile"
	"shequ/store"
)

// A backup file is "SHEQUBK2", a 16-byte salt, a 4-byte nonce prefix,
// then chunks: a 4-byte length and an AES-256-GCM sealed piece of the
// plain text. Each chunk's nonce is the prefix and its 8-byte number; its
// additional data says whether it is the last, so a cut-off or reordered
// file does not open. The plain text is the audit seal (the key and head
// of the audit chain, kept outside the database: a 4-byte length and
// JSON), then the database (a consistent copy made with VACUUM INTO).
// "SHEQUBK1" files, from before the seal, hold the database alone.
const (
	backupMagic   = "SHEQUBK2"
	backupMagicV1 = "SHEQUBK1"
	backupChunk   = 1 << 20
	maxSeal       = 4096
)

// ErrPassphrase is a backup that does not open with the passphrase given
// (or is damaged).
var ErrPassphrase = errors.New("app: wrong passphrase or damaged backup")

func backupKey(passphrase string, salt []byte) []byte {
	return argon2.IDKey([]byte(passphrase), salt, argonTime, argonMemory, argonThreads, 32)
}

// Backup writes an encrypted, consistent copy of the database to out, as
// an administrator; the database stays in use meanwhile.
func (a *App) Backup(ctx context.Context, actor *Actor, out, passphrase string) error {
	if err := mayManageAccounts(actor); err != nil {
		return err
	}
	if len([]rune(passphrase)) < 8 {
		return problem("passphrase", "err.passphrase.short", nil)
	}
	// A trail already cut or altered is not sealed into a backup, where
	// its restored copy would verify as whole.
	if v, err := a.st.VerifyAudit(ctx); err != nil {
		return err
	} else if !v.Whole() {
		key, data := AuditMessage(v)
		return problem("audit", key, data)
	}
	if err := outfile.NotInput(out, a.st.Path()); err != nil {
		return err
	}
	// The unencrypted copy is made beside the database, which already
	// holds the same data: never in the backup's folder (a USB stick or a
	// share keeps what is deleted from it).
	tmp, err := os.MkdirTemp(filepath.Dir(a.st.Path()), ".shequ-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	plain := filepath.Join(tmp, "copy.db")
	seal, err := a.st.CopyTo(ctx, plain)
	if err != nil {
		return err
	}
	if err := encryptFile(plain, seal, out, passphrase); err != nil {
		return err
	}
	st, _ := os.Stat(out)
	// When the last backup was made and its audit entry commit together.
	return a.st.SetSetting(ctx, auditNote(actor.Account.Username, AuditBackup, filepath.Base(out), map[string]any{"bytes": st.Size()}),
		settingLastBackup, time.Now().UTC().Format(time.RFC3339))
}

// settingLastBackup is when the last backup was made.
const settingLastBackup = "last_backup"

// BackupDue reports, for an administrator, whether the last backup is
// older than a week — or, with none, whether the database is (a new one
// is not nagged about) — and when the last backup was (zero: never).
func (a *App) BackupDue(ctx context.Context, actor *Actor) (due bool, last time.Time, err error) {
	if mayManageAccounts(actor) != nil {
		return false, last, nil
	}
	v, err := a.st.Setting(ctx, settingLastBackup)
	if err != nil {
		return false, last, err
	}
	last, _ = time.Parse(time.RFC3339, v)
	since := last
	if last.IsZero() {
		first, err := a.st.AuditEntries(ctx, model.AuditFilter{Before: 2}, 1)
		if err != nil || len(first) == 0 {
			return false, last, err
		}
		since = first[0].At
	}
	return time.Since(since) > 7*24*time.Hour, last, nil
}

func encryptFile(in string, seal store.AuditSeal, out, passphrase string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	head, _ := json.Marshal(seal)
	src := io.MultiReader(bytes.NewReader(binary.BigEndian.AppendUint32(nil, uint32(len(head)))), bytes.NewReader(head), f)
	return outfile.Write(out, func(dst io.Writer) error { return encrypt(src, dst, passphrase) })
}

func encrypt(src io.Reader, dst io.Writer, passphrase string) error {
	salt, prefix := make([]byte, 16), make([]byte, 4)
	rand.Read(salt)
	rand.Read(prefix)
	gcm, err := newGCM(passphrase, salt)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(dst)
	w.WriteString(backupMagic)
	w.Write(salt)
	w.Write(prefix)
	buf := make([]byte, backupChunk)
	next := make([]byte, backupChunk)
	n, err := io.ReadFull(src, buf)
	for i := uint64(0); ; i++ {
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return err
		}
		m, err2 := io.ReadFull(src, next)
		last := m == 0
		sealed := gcm.Seal(nil, chunkNonce(prefix, i), buf[:n], lastFlag(last))
		binary.Write(w, binary.BigEndian, uint32(len(sealed)))
		w.Write(sealed)
		if last {
			break
		}
		buf, next, n, err = next, buf, m, err2
	}
	return w.Flush()
}

func newGCM(passphrase string, salt []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(backupKey(passphrase, salt))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func chunkNonce(prefix []byte, i uint64) []byte {
	nonce := make([]byte, 12)
	copy(nonce, prefix)
	binary.BigEndian.PutUint64(nonce[4:], i)
	return nonce
}

func lastFlag(last bool) []byte {
	if last {
		return []byte{1}
	}
	return []byte{0}
}

// Restore decrypts a backup into the database file db, which must not
// exist (restoring over a live database is a step a person takes by
// moving it away first), nor the -wal and -shm of that name (left by a
// program that stopped while writing a database since moved away, they
// would be replayed onto the restored file), nor a db.restoring left by
// an earlier restore. The backup's audit key and head are put in place and
// the copy is checked — SQLite's integrity check and the audit trail —
// before it takes the name, and again under the name; a wrong passphrase
// or a damaged file changes nothing.
func Restore(ctx context.Context, in, db, passphrase string) (residents int, err error) {
	if _, err := os.Lstat(db); err == nil {
		return 0, problem("db", "err.restore.exists", map[string]any{"Path": db})
	}
	part := db + ".restoring"
	for _, f := range []string{db + "-wal", db + "-shm", db + "-journal", part, part + "-wal", part + "-shm"} {
		if _, err := os.Lstat(f); err == nil {
			return 0, problem("db", "err.restore.leftover", map[string]any{"Path": f})
		}
	}
	seal, err := decryptFile(in, part, passphrase)
	if err != nil {
		if !errors.Is(err, fs.ErrExist) { // a restore started meanwhile owns it
			os.Remove(part)
		}
		return 0, err
	}
	defer os.Remove(part)
	// Opening an older program's backup migrates it; the backup is the
	// copy from before, so no other is left beside the database.
	defer store.RemoveCopiesBeforeMigrating(part)
	if seal != nil {
		undo, ierr := store.InstallAuditSeal(ctx, *seal, part, db)
		if ierr != nil {
			return 0, ierr
		}
		defer func() { // err: what Restore returns
			if err != nil {
				undo()
			}
		}()
	}
	st, err := store.Open(ctx, part)
	var newer *model.NewerSchemaError
	if errors.As(err, &newer) {
		newer.Path = in // a newer program's backup: said as such, not as damaged
		return 0, newer
	}
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrPassphrase, err)
	}
	ok, err := st.IntegrityCheck(ctx)
	if err == nil && ok != "ok" {
		err = fmt.Errorf("%w: integrity check: %s", ErrPassphrase, ok)
	}
	if err == nil {
		var v model.AuditVerdict
		if v, err = st.VerifyAudit(ctx); err == nil && !v.Whole() {
			key, data := AuditMessage(v)
			err = problem("audit", key, data)
		}
	}
	if err == nil {
		residents, err = st.CountAll(ctx)
	}
	st.Close()
	if err != nil {
		return 0, err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(part + suffix)
	}
	if err := os.Rename(part, db); err != nil {
		return 0, err
	}
	if err := checkRestored(ctx, db, residents); err != nil {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(db + suffix)
		}
		return 0, problem("db", "err.restore.check", map[string]any{"Path": db, "Detail": err.Error()})
	}
	return residents, nil
}

// checkRestored opens the restored file under its own name, as it will be
// used, and checks that it is sound and holds what was restored.
func checkRestored(ctx context.Context, db string, residents int) error {
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	ok, err := st.IntegrityCheck(ctx)
	if err != nil {
		return err
	}
	if ok != "ok" {
		return errors.New(ok)
	}
	n, err := st.CountAll(ctx)
	if err == nil && n != residents {
		err = fmt.Errorf("%d residents where the backup has %d", n, residents)
	}
	return err
}

// decryptFile writes the database a backup holds to out and returns the
// audit seal it carries (nil in a backup from before seals).
func decryptFile(in, out, passphrase string) (*store.AuditSeal, error) {
	src, err := os.Open(in)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	r := bufio.NewReader(src)
	head := make([]byte, len(backupMagic)+16+4)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, fmt.Errorf("%w: not a Shequ backup", ErrPassphrase)
	}
	var sw *sealWriter
	switch string(head[:len(backupMagic)]) {
	case backupMagic:
		sw = &sealWriter{}
	case backupMagicV1:
	default:
		return nil, fmt.Errorf("%w: not a Shequ backup", ErrPassphrase)
	}
	salt, prefix := head[len(backupMagic):len(backupMagic)+16], head[len(backupMagic)+16:]
	gcm, err := newGCM(passphrase, salt)
	if err != nil {
		return nil, err
	}
	dst, err := outfile.New(out)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	for i := uint64(0); ; i++ {
		var size uint32
		if err := binary.Read(r, binary.BigEndian, &size); err != nil {
			return nil, fmt.Errorf("%w: the backup ends early", ErrPassphrase)
		}
		if size > backupChunk+uint32(gcm.Overhead()) {
			return nil, fmt.Errorf("%w: damaged chunk", ErrPassphrase)
		}
		sealed := make([]byte, size)
		if _, err := io.ReadFull(r, sealed); err != nil {
			return nil, fmt.Errorf("%w: the backup ends early", ErrPassphrase)
		}
		_, peekErr := r.Peek(1)
		last := peekErr == io.EOF
		plain, err := gcm.Open(nil, chunkNonce(prefix, i), sealed, lastFlag(last))
		if err != nil {
			return nil, ErrPassphrase
		}
		if sw != nil {
			if plain, err = sw.take(plain); err != nil {
				return nil, err
			}
		}
		if _, err := dst.Write(plain); err != nil {
			return nil, err
		}
		if last {
			if sw == nil {
				return nil, dst.Sync()
			}
			var seal store.AuditSeal
			if !sw.done || json.Unmarshal(sw.buf[4:], &seal) != nil {
				return nil, fmt.Errorf("%w: damaged audit seal", ErrPassphrase)
			}
			return &seal, dst.Sync()
		}
	}
}

// sealWriter takes the audit seal off the front of a backup's plain text.
type sealWriter struct {
	buf  []byte // the length, then the JSON
	done bool
}

// take keeps what of p belongs to the seal and returns the rest.
func (w *sealWriter) take(p []byte) ([]byte, error) {
	for !w.done && len(p) > 0 {
		want := 4
		if len(w.buf) >= 4 {
			n := binary.BigEndian.Uint32(w.buf)
			if n > maxSeal {
				return nil, fmt.Errorf("%w: damaged audit seal", ErrPassphrase)
			}
			want += int(n)
		}
		k := min(want-len(w.buf), len(p))
		w.buf, p = append(w.buf, p[:k]...), p[k:]
		w.done = len(w.buf) >= 4 && len(w.buf) == 4+int(binary.BigEndian.Uint32(w.buf))
	}
	return p, nil
}
