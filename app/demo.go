package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"shequ/app/idnumber"
	"shequ/app/model"
	"shequ/store"
)

// demoRef is the reference date of demo data, so that a seed always gives
// the same database whatever the day.
var demoRef = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	demoLocalRegion = "510117" // 成都市郫都区
	perCommunity    = 15000    // residents per community
	perGrid         = 1800     // residents per grid
	perStreet       = 10       // communities per street
)

var (
	demoSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
		"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
		"余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
		"石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
		"龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤", "欧阳", "司马"}
	demoMaleChars   = []rune("伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
	demoFemaleChars = []rune("秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽")
	demoStreets     = []string{"德源", "郫筒", "犀浦", "红光", "安德", "友爱", "团结", "三道堰", "古城", "唐昌", "新民场", "花园", "安靖", "唐元"}
	demoCommunities = []string{"红旗", "东林", "新桥", "太清", "方碑", "平城", "大禹", "望丛", "竹瓦", "书院", "柏木", "两河", "清河", "锦江", "石堤", "蜀都", "双柏", "金星", "晨光", "和平"}
	demoCompoundA   = []string{"锦绣", "德源", "蜀都", "望丛", "清水", "金沙", "天府", "春熙", "龙湖", "翠竹", "紫荆", "桂湖", "阳光", "幸福", "和美", "绿洲", "中建", "万科", "保利", "碧桂"}
	demoCompoundB   = []string{"花园", "新城", "家园", "名苑", "雅居", "华庭", "小区", "公寓", "嘉苑", "湾"}
	demoMinorities  = []string{"回族", "藏族", "彝族", "羌族", "土家族", "满族", "蒙古族", "苗族"}
	demoOtherRegion = []string{"510104", "510681", "511302", "513101", "500101", "500233", "420111", "610113", "530102", "520102", "430105", "360102"}
	demoMobileHeads = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "186", "187", "188", "189", "191", "199"}
)

// demo generates a synthetic district reproducibly from a seed.
type demo struct {
	rng  *rand.Rand
	tags *rand.Rand // its own, so tagging leaves the people as they were
	b    *store.Bulk
	seqs map[string]int // region+birth+sex → next sequence number
	// What the registry already has, which the demo builds into rather
	// than clashing with: areas by parent and name, compounds' names by
	// community.
	areas     map[areaKey]int64
	compounds map[areaKey]bool
	made      int
	want      int
	prog      func(done, total int)
}

// Demo fills the database with a synthetic district of n residents:
// streets, communities, grids, compounds, buildings, units and houses,
// families with plausible ages and sexes, some tenants and floating
// population, valid ID numbers. The same seed gives the same data.
// progress (may be nil) is called now and then with residents made.
func (a *App) Demo(ctx context.Context, actor *Actor, n int, seed uint64, progress func(done, total int)) error {
	sc, _, err := a.placeScope(ctx, actor)
	if err != nil {
		return err
	}
	if !sc.All {
		return fmt.Errorf("app: demo data: %w", model.ErrForbidden)
	}
	if n <= 0 {
		return problem("residents", "err.demo.count", nil)
	}
	have, err := a.st.CountResidents(ctx, model.ResidentQuery{AllGrids: true})
	if err != nil {
		return err
	}
	if have > 0 {
		return problem("residents", "err.demo.notempty", map[string]any{"Count": have})
	}
	areas, err := a.st.Areas(ctx)
	if err != nil {
		return err
	}
	compounds, err := a.st.Compounds(ctx, nil, true)
	if err != nil {
		return err
	}
	start := time.Now()
	err = a.st.Bulk(ctx, auditNote(actor.Account.Username, AuditDemo, "", map[string]any{"residents": n, "seed": seed}), func(b *store.Bulk) error {
		d := &demo{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), tags: rand.New(rand.NewPCG(seed, seed^0x7a65)), b: b, seqs: map[string]int{}, want: n, prog: progress,
			areas: map[areaKey]int64{}, compounds: map[areaKey]bool{}}
		for _, ar := range areas {
			d.areas[areaKey{ar.ParentID, ar.Name}] = ar.ID
		}
		for _, c := range compounds {
			d.compounds[areaKey{c.CommunityID, c.Name}] = true
		}
		return d.run(ctx)
	})
	if err != nil {
		return err
	}
	if err := a.st.Analyze(ctx); err != nil {
		return err
	}
	a.log.Info("demo data made", "residents", n, "seed", seed, "took", time.Since(start).String())
	return nil
}

// areaKey names an area (or a compound) within its parent.
type areaKey struct {
	parent int64
	name   string
}

// area is the area of that name under parent: the one the registry has,
// or a new one.
func (d *demo) area(parent int64, level model.AreaLevel, name string) (int64, error) {
	if id, ok := d.areas[areaKey{parent, name}]; ok {
		return id, nil
	}
	id, err := d.b.Area(model.Area{ParentID: parent, Level: level, Name: name})
	d.areas[areaKey{parent, name}] = id
	return id, err
}

func (d *demo) run(ctx context.Context) error {
	communities := (d.want + perCommunity - 1) / perCommunity
	streets := (communities + perStreet - 1) / perStreet
	ci := 0
	for s := 0; s < streets && d.made < d.want; s++ {
		street, err := d.area(0, model.LevelStreet, pick(demoStreets, s)+"街道")
		if err != nil {
			return err
		}
		for c := 0; c < perStreet && d.made < d.want; c, ci = c+1, ci+1 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := d.community(street, ci, min(perCommunity, d.want-d.made)); err != nil {
				return err
			}
		}
	}
	return nil
}

// pick names the i-th of a list, numbering repeats: 红旗, …, 红旗二.
func pick(list []string, i int) string {
	name := list[i%len(list)]
	if r := i / len(list); r > 0 {
		name += []string{"", "二", "三", "四", "五", "六", "七", "八", "九", "十"}[min(r, 9)]
		if r > 9 {
			name += fmt.Sprint(r)
		}
	}
	return name
}

func (d *demo) community(street int64, ci, people int) error {
	comm, err := d.area(street, model.LevelCommunity, pick(demoCommunities, ci)+"社区")
	if err != nil {
		return err
	}
	grids := make([]int64, max(1, (people+perGrid-1)/perGrid))
	for g := range grids {
		if grids[g], err = d.area(comm, model.LevelGrid, fmt.Sprintf("第%d网格", g+1)); err != nil {
			return err
		}
	}
	goal := d.made + people
	for k := 0; d.made < goal; k++ {
		name := pick(demoCompoundA, ci*3+k) + demoCompoundB[(ci+k)%len(demoCompoundB)]
		if d.compounds[areaKey{comm, name}] {
			continue // the office's own compound: the demo's go beside it
		}
		d.compounds[areaKey{comm, name}] = true
		cp, err := d.b.Compound(model.Compound{CommunityID: comm, Name: name})
		if err != nil {
			return err
		}
		// A compound's buildings are shared out over the grids in turn.
		buildings := 4 + d.rng.IntN(12)
		for bn := 1; bn <= buildings && d.made < goal; bn++ {
			grid := grids[(k*7+bn)%len(grids)]
			if err := d.building(cp, bn, grid, goal); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *demo) building(compound int64, bn int, grid int64, goal int) error {
	bid, err := d.b.Building(model.Building{CompoundID: compound, Name: fmt.Sprint(bn)})
	if err != nil {
		return err
	}
	units, floors, perFloor := 1+d.rng.IntN(3), 6+d.rng.IntN(13), 2+d.rng.IntN(3)
	for u := 1; u <= units && d.made < goal; u++ {
		uid, err := d.b.Unit(model.Unit{BuildingID: bid, Name: fmt.Sprint(u)})
		if err != nil {
			return err
		}
		for f := 1; f <= floors && d.made < goal; f++ {
			for r := 1; r <= perFloor && d.made < goal; r++ {
				if err := d.house(uid, fmt.Sprintf("%d%02d", f, r), grid, goal); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (d *demo) house(unit int64, room string, grid int64, goal int) error {
	use := model.UseOwner
	switch x := d.rng.IntN(100); {
	case x < 8:
		use = model.UseVacant
	case x < 26:
		use = model.UseRented
	}
	hid, err := d.b.House(model.House{UnitID: unit, Room: room, GridID: grid, Use: use, AreaM2: float64(60 + d.rng.IntN(90))})
	if err != nil || use == model.UseVacant {
		return err
	}
	if use == model.UseRented {
		return d.tenants(hid, grid, goal)
	}
	return d.family(hid, grid, goal)
}

// person is one generated resident before it is written.
type person struct {
	sex      model.Sex
	birth    time.Time
	surname  string
	rel      model.Relation
	kind     model.Kind
	region   string
	status   model.Status
	noIDCard bool
}

func (d *demo) family(house, grid int64, goal int) error {
	headAge := 24 + d.rng.IntN(60)
	head := d.adult(headAge, "", model.RelHead, model.KindRegistered, demoLocalRegion)
	people := []person{head}
	size := []int{1, 2, 2, 3, 3, 3, 4, 4, 5, 6}[d.rng.IntN(10)]
	if headAge > 70 && d.rng.IntN(3) == 0 {
		size = 1 // many older people live alone
	}
	if size >= 2 {
		sp := d.adult(clamp(headAge+d.rng.IntN(9)-4, 20, 95), "", model.RelSpouse, model.KindRegistered, demoLocalRegion)
		sp.sex = other(head.sex)
		people = append(people, sp)
	}
	for len(people) < size {
		switch {
		case headAge >= 50 && d.rng.IntN(3) == 0: // a grandchild
			age := d.rng.IntN(min(18, headAge-44))
			people = append(people, d.child(age, head.surname, model.RelGrandchild))
		case headAge <= 45 && d.rng.IntN(4) == 0: // a parent of the head
			people = append(people, d.adult(headAge+24+d.rng.IntN(10), head.surname, model.RelParent, model.KindRegistered, demoLocalRegion))
		default:
			age := max(0, headAge-22-d.rng.IntN(14))
			people = append(people, d.child(age, head.surname, model.RelChild))
		}
	}
	moveIn := demoRef.AddDate(-d.rng.IntN(20), -d.rng.IntN(12), -d.rng.IntN(28))
	return d.write(house, grid, people, moveIn, goal)
}

func (d *demo) tenants(house, grid int64, goal int) error {
	kind := model.KindFloating
	if d.rng.IntN(40) == 0 {
		kind = model.KindForeign
	}
	region := demoOtherRegion[d.rng.IntN(len(demoOtherRegion))]
	n := 1 + d.rng.IntN(3)
	var people []person
	for i := 0; i < n; i++ {
		people = append(people, d.adult(19+d.rng.IntN(40), "", model.RelTenant, kind, region))
	}
	moveIn := demoRef.AddDate(0, -d.rng.IntN(36), -d.rng.IntN(28))
	return d.write(house, grid, people, moveIn, goal)
}

func (d *demo) adult(age int, surname string, rel model.Relation, kind model.Kind, region string) person {
	p := person{sex: model.Male, rel: rel, kind: kind, region: region, surname: surname, status: model.StatusPresent}
	if d.rng.IntN(2) == 0 {
		p.sex = model.Female
	}
	if p.surname == "" {
		p.surname = d.surname()
	}
	p.birth = demoRef.AddDate(-age, -d.rng.IntN(12), -d.rng.IntN(28))
	return p
}

func (d *demo) child(age int, surname string, rel model.Relation) person {
	p := d.adult(age, surname, rel, model.KindRegistered, demoLocalRegion)
	p.noIDCard = age < 16 && d.rng.IntN(10) == 0 // some children are registered without a number yet
	return p
}

func (d *demo) surname() string {
	// Common surnames far more often: a rough power law over the list.
	i := int(float64(len(demoSurnames)) * d.rng.Float64() * d.rng.Float64())
	return demoSurnames[i]
}

func (d *demo) given(sex model.Sex) string {
	chars := demoMaleChars
	if sex == model.Female {
		chars = demoFemaleChars
	}
	n := 1
	if d.rng.IntN(10) < 7 {
		n = 2
	}
	out := make([]rune, n)
	for i := range out {
		out[i] = chars[d.rng.IntN(len(chars))]
	}
	return string(out)
}

func (d *demo) write(house, grid int64, people []person, moveIn time.Time, goal int) error {
	for _, p := range people {
		if d.made >= goal {
			return nil
		}
		r := model.Resident{
			Name: p.surname + d.given(p.sex), Sex: p.sex, Birth: p.birth.Format("2006-01-02"), Ethnicity: "汉族",
			Kind: p.kind, Status: model.StatusPresent, HouseID: house, Relation: p.rel, GridID: grid,
		}
		if d.rng.IntN(30) == 0 {
			r.Ethnicity = demoMinorities[d.rng.IntN(len(demoMinorities))]
		}
		if !p.noIDCard {
			r.IDNumber = d.idNumber(p)
		}
		if age := demoRef.Year() - p.birth.Year(); age >= 14 && d.rng.IntN(10) < 9 {
			r.Phone = demoMobileHeads[d.rng.IntN(len(demoMobileHeads))] + fmt.Sprintf("%08d", d.rng.IntN(100000000))
		}
		since := moveIn
		if since.Before(p.birth) {
			since = p.birth
		}
		until := ""
		switch x := d.rng.IntN(200); {
		case x < 6:
			r.Status = model.StatusAway
		case x < 9:
			r.Status, until = model.StatusMoved, demoRef.AddDate(0, -d.rng.IntN(24), 0).Format("2006-01-02")
		case x < 10 && p.birth.Year() < 1950:
			r.Status, until = model.StatusDead, demoRef.AddDate(0, -d.rng.IntN(24), 0).Format("2006-01-02")
		}
		if until != "" && until < since.Format("2006-01-02") {
			until = since.Format("2006-01-02")
		}
		id, err := d.b.Resident(r, since.Format("2006-01-02"), until)
		if err != nil {
			return err
		}
		if err := d.tag(id, r, p, len(people)); err != nil {
			return err
		}
		d.made++
		if d.prog != nil && (d.made%5000 == 0 || d.made == d.want) {
			d.prog(d.made, d.want)
		}
	}
	return nil
}

// tag gives a demo resident the tags an office gives: 独居老人 to the old
// living alone, and the rest to a few in a hundred of the ages they fit.
func (d *demo) tag(id int64, r model.Resident, p person, household int) error {
	age := demoRef.Year() - p.birth.Year()
	var names []string
	if household == 1 && age >= 60 && r.Status == model.StatusPresent {
		names = append(names, "独居老人")
	}
	x := d.tags.IntN(1000)
	switch {
	case age >= 18 && age <= 70 && x < 60:
		names = append(names, "志愿者")
	case age >= 30 && age <= 70 && x < 80:
		names = append(names, "居民骨干")
	case age >= 25 && age <= 55 && x < 100:
		names = append(names, "产业人才")
	case age >= 45 && x < 130:
		names = append(names, "舞蹈")
	case age >= 45 && x < 150:
		names = append(names, "书法")
	case x < 165:
		names = append(names, "低保户")
	case x < 180:
		names = append(names, "残疾人")
	case age >= 60 && x < 195:
		names = append(names, "优抚对象")
	case age < 16 && x < 230:
		names = append(names, "留守儿童")
	}
	if r.Relation == model.RelHead && age >= 40 && age <= 70 && d.tags.IntN(40) == 0 {
		names = append(names, "楼栋长")
	}
	for _, n := range names {
		tag, _, err := d.b.TagID(n)
		if err != nil {
			return err
		}
		if err := d.b.TagResident(id, tag, 0); err != nil {
			return err
		}
	}
	return nil
}

// idNumber makes a unique valid ID number for a person.
func (d *demo) idNumber(p person) string {
	key := p.region + p.birth.Format("20060102") + string(p.sex)
	seq, ok := d.seqs[key]
	if !ok { // sequence codes start anywhere, as police stations hand them out
		seq = d.rng.IntN(400)
	}
	d.seqs[key] = seq + 1
	if seq >= 500 { // the standard's sequence space for one day and sex is full
		return ""
	}
	sex := idnumber.Sex('M')
	if p.sex == model.Female {
		sex = 'F'
	}
	return idnumber.Synthesize(p.region, p.birth, seq, sex)
}

func other(s model.Sex) model.Sex {
	if s == model.Male {
		return model.Female
	}
	return model.Male
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }
