package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"shequ/app/ledger/xlsxwrite"
	"shequ/app/model"
	"shequ/store"
)

// mayExport is the one check before personal data leaves in a file: the
// export permission, the permission to reveal with a reason given, and a
// file that can be written.
func mayExport(actor *Actor, what, path string, reveal bool, reason string) error {
	if actor == nil || !actor.Account.CanExport {
		return fmt.Errorf("app: export %s: %w", what, model.ErrForbidden)
	}
	if reveal && !actor.Account.CanReveal {
		return fmt.Errorf("app: export %s revealed: %w", what, model.ErrForbidden)
	}
	if reveal && strings.TrimSpace(reason) == "" {
		return problem("reason", "err.reason.required", nil)
	}
	return writable(path)
}

// listWriter opens a workbook of a plain list under a header.
func listWriter(path string, header []string, opt xlsxwrite.Options) (*xlsxwrite.Writer, error) {
	cols := make([]xlsxwrite.Column, len(header))
	for i, h := range header {
		cols[i] = xlsxwrite.Column{Header: h}
	}
	w, err := xlsxwrite.Create(path, cols, opt)
	if err != nil {
		return nil, fmt.Errorf("app: write %s: %w", filepath.Base(path), err)
	}
	return w, nil
}

// ledgerColumns is the canonical ledger layout for the writer.
func ledgerColumns() []xlsxwrite.Column {
	cols := make([]xlsxwrite.Column, len(LedgerHeader))
	for i, h := range LedgerHeader {
		c := xlsxwrite.Column{Header: h.Header, List: LedgerChoices(h.Field)}
		switch h.Field {
		case FieldSeq:
			c.Kind, c.Width = xlsxwrite.Number, 7
		case FieldBirth:
			c.Kind = xlsxwrite.Date
		case FieldIDNumber:
			c.Width = 22
		case FieldPhone:
			c.Width = 15
		case FieldCompound, FieldTags, FieldNotes:
			c.Width = 16
		case FieldName:
			c.Width = 10
		}
		cols[i] = c
	}
	return cols
}

// ExportOptions say which residents a ledger export holds and how.
type ExportOptions struct {
	Filter   ListFilter // as above the residents table; its sort is left out (ledgers go by household)
	Title    string     // the area the ledger is for, named in its title and footer; "" names the account's areas
	Reveal   bool       // full ID numbers and phones (the account must be allowed to see them)
	Reason   string     // why they are revealed, for the audit
	Progress func(done, total int)
}

// ExportResidents writes the residents a filter selects to a ledger in
// the canonical layout, household by household, streaming: the database
// is read on one goroutine while the workbook is written on this one.
// ID numbers and phones are masked unless revealed; the export needs the
// export permission and is audited with its filter and row count.
func (a *App) ExportResidents(ctx context.Context, actor *Actor, path string, opt ExportOptions) (int, error) {
	if err := mayExport(actor, "residents", path, opt.Reveal, opt.Reason); err != nil {
		return 0, err
	}
	q, err := a.residentQuery(ctx, actor, opt.Filter)
	if err != nil {
		return 0, err
	}
	now := time.Now()
	title := opt.Title
	if title == "" {
		title = a.areaTitle(ctx, actor, opt.Filter.AreaID)
	}
	type batch [][]string
	rowsCh := make(chan batch, 8)
	total := make(chan int, 1)
	readCtx, stop := context.WithCancel(ctx)
	defer stop()
	readErr := make(chan error, 1)
	go func() {
		defer close(rowsCh)
		cur := make(batch, 0, 512)
		seq := 0
		readErr <- a.st.EachLedgerRow(readCtx, q, func(n int) error { total <- n; return nil }, func(r *store.LedgerRow) error {
			seq++
			cur = append(cur, ledgerValues(seq, r, opt.Reveal))
			if len(cur) == cap(cur) {
				select {
				case rowsCh <- cur:
				case <-readCtx.Done():
					return readCtx.Err()
				}
				cur = make(batch, 0, 512)
			}
			return nil
		})
		if len(cur) > 0 {
			select {
			case rowsCh <- cur:
			case <-readCtx.Done():
			}
		}
	}()
	var n int
	select {
	case n = <-total:
	case err := <-readErr:
		return 0, err
	}
	w, err := xlsxwrite.Create(path, ledgerColumns(), xlsxwrite.Options{
		Sheet: "居民台账", Title: title + " 居民台账 " + now.Format("2006-01-02"), Rows: n,
		Creator: actor.Account.Username, Created: now, Subject: exportSubject(opt),
		Footer: title + " · 导出：" + actor.Account.Username + " " + now.Format("2006-01-02 15:04"),
	})
	if err != nil {
		stop()
		return 0, fmt.Errorf("app: export to %s: %w", filepath.Base(path), err)
	}
	done := 0
	for b := range rowsCh {
		for _, vals := range b {
			if err := w.Row(vals); err != nil {
				stop()
				w.Abort()
				return 0, err
			}
		}
		done += len(b)
		if opt.Progress != nil {
			opt.Progress(done, n)
		}
		if ctx.Err() != nil {
			break
		}
	}
	if err := <-readErr; err != nil || ctx.Err() != nil {
		w.Abort()
		if err == nil || errors.Is(err, context.Canceled) {
			err = ctx.Err()
		}
		return 0, err
	}
	if err := w.Close(); err != nil {
		return 0, fmt.Errorf("app: export to %s: %w", filepath.Base(path), err)
	}
	err = a.audit(ctx, actor.Account.Username, AuditExport, filepath.Base(path), map[string]any{"what": "residents",
		"search": maskedSearch(opt.Filter.Search), "area": opt.Filter.AreaID, "compound": opt.Filter.CompoundID,
		"reveal": opt.Reveal, "reason": opt.Reason, "rows": n})
	return n, err
}

// ledgerValues is one resident as a ledger row.
func ledgerValues(seq int, r *store.LedgerRow, reveal bool) []string {
	id, ph := r.IDNumber, r.Phone
	if !reveal {
		id, ph = MaskIDNumber(id), MaskPhone(ph)
	}
	return []string{strconv.Itoa(seq), r.Name, LedgerValue(FieldSex, string(r.Sex)), id, r.Birth, r.Ethnicity, ph,
		r.Address.Compound, r.Address.Building, r.Address.Unit, r.Address.Room, LedgerValue(FieldRelation, string(r.Relation)),
		LedgerValue(FieldKind, string(r.Kind)), LedgerValue(FieldStatus, string(r.Status)), r.Tags, r.Notes}
}

func exportSubject(opt ExportOptions) string {
	s := "筛选：" + maskedSearch(opt.Filter.Search)
	if opt.Reveal {
		s += "；完整证件号码和电话"
	}
	return s
}

// maskedSearch is a search text as the audit keeps it: an ID number or a
// phone masked.
func maskedSearch(text string) string {
	kind, t, _ := ReadSearch(text)
	switch kind {
	case model.SearchIDNumber:
		return MaskIDNumber(t)
	case model.SearchPhone:
		return MaskPhone(t)
	}
	return text
}

// areaTitle names the area a ledger is for: the chosen area, or the
// account's own.
func (a *App) areaTitle(ctx context.Context, actor *Actor, area int64) string {
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return ""
	}
	name := map[int64]string{}
	for _, ar := range areas {
		name[ar.ID] = ar.Name
	}
	if area != 0 {
		return name[area]
	}
	if len(actor.Account.AreaIDs) == 1 {
		return name[actor.Account.AreaIDs[0]]
	}
	return "全部"
}

// TemplateRows is how many ruled empty rows the blank template has, tall
// enough to write in: one landscape A4 page of them (30 fill it when
// LibreOffice prints; a few are left for offices that scale differently).
const TemplateRows = 28

// WriteTemplate writes a blank ledger in the canonical layout, with
// ruled empty rows, drop-downs for the coded columns and an instructions
// sheet, for grid workers who fill it by hand.
func WriteTemplate(path string) error {
	w, err := xlsxwrite.Create(path, ledgerColumns(), xlsxwrite.Options{Sheet: "居民台账", Title: "居民台账",
		Validation: true, Subject: "居民台账模板", BlankRows: TemplateRows})
	if err != nil {
		return err
	}
	if err := w.Sheet("填表说明", templateHelp); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

var templateHelp = []string{
	"居民台账填表说明",
	"1. 每位居民一行；同一户的成员依次填写，户主在前。",
	"2. 姓名必填；公民身份号码填 18 位（旧式 15 位也可），尚未办理的填“未办理”并填写出生日期。",
	"3. 身份证号和电话已设为文本格式，请直接输入，不要加空格或改成数字格式（否则末几位会丢失）。",
	"4. 出生日期写成 1990-01-01；有身份证号时以身份证号为准。",
	"5. 小区、楼栋、单元、房号分别填写，如：锦绣花园、3、2、501；也可在一列中写“3栋2单元501”。",
	"6. 性别、与户主关系、人员类别、状态请从下拉列表中选择；状态不填即为在住。",
	"7. 标签可填多个，用顿号分隔，如：志愿者、居民骨干。",
	"8. 第一行标题和表头请勿删除或改名；合计行和说明文字导入时会自动跳过。",
}

// writable checks that a file can be made at path: its folder is there.
// Said in the user's words before anything is read or written.
func writable(path string) error {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return problem("file", "err.file.folder", map[string]any{"Folder": dir})
	}
	return nil
}
