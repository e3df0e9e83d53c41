package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"shequ/app/model"
)

// Audited tag actions.
const (
	AuditTagCreate = "tag.create"
	AuditTagChange = "tag.change"
	AuditTagMerge  = "tag.merge"
	AuditTagDelete = "tag.delete"
	AuditTagSet    = "tag.set"
	AuditTagUnset  = "tag.unset"
)

// mayManageTags lets community workers and administrators define tags;
// grid workers tag residents with them.
func mayManageTags(actor *Actor) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	if actor.Account.Role == model.RoleGrid {
		return fmt.Errorf("app: tags: %w", model.ErrForbidden)
	}
	return nil
}

// Tags lists the tags with how many residents in the actor's scope carry
// each.
func (a *App) Tags(ctx context.Context, actor *Actor) ([]model.Tag, error) {
	sc, _, err := a.scopeOf(ctx, actor)
	if err != nil {
		return nil, err
	}
	return a.st.Tags(ctx, sc.Grids, sc.All)
}

// TagNames lists the tags for choosing one, without counts.
func (a *App) TagNames(ctx context.Context, actor *Actor) ([]model.Tag, error) {
	if _, _, err := a.scopeOf(ctx, actor); err != nil {
		return nil, err
	}
	return a.st.TagsNamed(ctx)
}

// TagByName finds a tag by its name.
func (a *App) TagByName(ctx context.Context, actor *Actor, name string) (model.Tag, error) {
	if _, _, err := a.scopeOf(ctx, actor); err != nil {
		return model.Tag{}, err
	}
	name = CleanCell(name)
	t, err := a.st.TagNamed(ctx, name)
	if errors.Is(err, model.ErrNotFound) {
		return t, problem("tag", "err.tag.unknown", map[string]any{"Name": name})
	}
	return t, err
}

// checkTag cleans and checks a tag as typed.
func checkTag(t model.Tag) (model.Tag, error) {
	t.Name = CleanCell(t.Name)
	switch {
	case t.Name == "":
		return t, problem("name", "err.tag.name", nil)
	case len([]rune(t.Name)) > 20 || strings.ContainsAny(t.Name, "、，,；;/"):
		return t, problem("name", "err.tag.name.bad", nil)
	}
	if t.Category == "" {
		t.Category = model.TagCategories[len(model.TagCategories)-1]
	}
	if !slices.Contains(model.TagCategories, t.Category) {
		return t, problem("category", "err.choice", nil)
	}
	if t.Color != "" && !slices.ContainsFunc(model.TagColors, func(c struct{ Name, RGB string }) bool { return c.RGB == t.Color }) {
		return t, problem("color", "err.choice", nil)
	}
	return t, nil
}

func tagTaken(err error, name string) error {
	if errors.Is(err, model.ErrConflict) {
		return problem("name", "err.tag.taken", map[string]any{"Name": name})
	}
	return err
}

// CreateTag adds a tag to a category.
func (a *App) CreateTag(ctx context.Context, actor *Actor, t model.Tag) (int64, error) {
	if err := mayManageTags(actor); err != nil {
		return 0, err
	}
	t, err := checkTag(t)
	if err != nil {
		return 0, err
	}
	id, err := a.st.CreateTag(ctx, auditNote(actor.Account.Username, AuditTagCreate, "tag:%d", map[string]any{"name": t.Name, "category": t.Category}), t)
	return id, tagTaken(err, t.Name)
}

// UpdateTag renames a tag or moves it to another category.
func (a *App) UpdateTag(ctx context.Context, actor *Actor, t model.Tag) error {
	if err := mayManageTags(actor); err != nil {
		return err
	}
	old, err := a.st.Tag(ctx, t.ID)
	if err != nil {
		return err
	}
	if t, err = checkTag(t); err != nil {
		return err
	}
	err = a.st.UpdateTag(ctx, auditNote(actor.Account.Username, AuditTagChange, target("tag", t.ID), map[string]any{"from": old.Name,
		"to": t.Name, "category": t.Category}), t)
	return tagTaken(err, t.Name)
}

// MergeTags moves everyone carrying from onto into and removes from (two
// names for one thing, as ledgers bring them).
func (a *App) MergeTags(ctx context.Context, actor *Actor, from, into int64) error {
	if err := mayManageTags(actor); err != nil {
		return err
	}
	if from == into {
		return problem("tag", "err.tag.same", nil)
	}
	f, err := a.st.Tag(ctx, from)
	if err != nil {
		return err
	}
	i, err := a.st.Tag(ctx, into)
	if err != nil {
		return err
	}
	return a.st.MergeTags(ctx, auditNote(actor.Account.Username, AuditTagMerge, target("tag", into), map[string]any{"from": f.Name,
		"into": i.Name, "residents": f.Residents}), from, into)
}

// DeleteTag removes a tag from everyone who carries it and then the tag;
// the window asks first, saying how many (Tag's Residents).
func (a *App) DeleteTag(ctx context.Context, actor *Actor, id int64) error {
	if err := mayManageTags(actor); err != nil {
		return err
	}
	t, err := a.st.Tag(ctx, id)
	if err != nil {
		return err
	}
	return a.st.DeleteTag(ctx, auditNote(actor.Account.Username, AuditTagDelete, target("tag", id), map[string]any{"name": t.Name,
		"residents": t.Residents}), id)
}

// ResidentTags lists the tags of a resident the actor may see.
func (a *App) ResidentTags(ctx context.Context, actor *Actor, residentID int64) ([]model.Tag, error) {
	if _, err := a.Resident(ctx, actor, residentID); err != nil {
		return nil, err
	}
	return a.st.ResidentTags(ctx, residentID)
}

// SetTag tags (on) or untags one resident.
func (a *App) SetTag(ctx context.Context, actor *Actor, residentID, tagID int64, on bool) error {
	if err := mayWrite(actor); err != nil {
		return err
	}
	if _, err := a.Resident(ctx, actor, residentID); err != nil {
		return err
	}
	_, err := a.setTag(ctx, actor, tagID, []int64{residentID}, on, target("resident", residentID))
	return err
}

// TagList tags (on) or untags everyone a residents list holds (its area,
// compound and search, within the actor's scope); it returns how many
// changed.
func (a *App) TagList(ctx context.Context, actor *Actor, f ListFilter, tagID int64, on bool) (int, error) {
	if err := mayWrite(actor); err != nil {
		return 0, err
	}
	q, err := a.residentQuery(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	ids, err := a.st.ResidentIDs(ctx, q)
	if err != nil {
		return 0, err
	}
	return a.setTag(ctx, actor, tagID, ids, on, "list:"+maskedSearch(f.Search))
}

func (a *App) setTag(ctx context.Context, actor *Actor, tagID int64, ids []int64, on bool, tgt string) (int, error) {
	t, err := a.st.Tag(ctx, tagID)
	if err != nil {
		return 0, err
	}
	action := AuditTagSet
	if !on {
		action = AuditTagUnset
	}
	return a.st.SetTag(ctx, auditNote(actor.Account.Username, action, tgt, map[string]any{"tag": t.Name, "residents": len(ids)}),
		actor.Account.ID, tagID, ids, on)
}
