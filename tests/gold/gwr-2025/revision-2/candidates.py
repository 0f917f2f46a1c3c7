"""Print every candidate string for rules R1-R10 of GUIDELINES-REVISION.md in one report, with context.
Usage: /usr/bin/python3 candidates.py /work/shared/corpus-dev/gwr-2025/gwr-2025-jilin.txt [R1 R3 ...]
It only FINDS candidates; every hit is judged by the reader in context."""
import re,sys
AB='京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀黔贵滇云藏陕秦甘陇青宁新疆台港澳'
RULES={
 'R1':[rf'(驻|在|留|来|入|进|援|兴|强|赴|返|出|对|环|离)[{AB}]', rf'[{AB}](字号|货|品|商|企|菜|酒|剧|派|产|胞|青|牛)'],
 'R2':[r'燕赵|齐鲁|荆楚|楚天|三秦|秦川|八闽|三晋|中原|陇原|三湘|湖湘|潇湘|赣鄱|辽沈|南粤|(?<![黑九])龙江|津门|津城|京城|江淮|塞上|天府|巴渝|八桂|雪域|白山松水|岭南|江南|吴越|巴蜀|关东|中州'],
 'R3':[rf'港澳台?|台港澳|(?<![{AB}])[{AB}]{{2,4}}(?=(同胞|居民|青年|人士|企业|高校|两地|三地|对口|协作|合作|交流|融合|一体化|同城化|工作|事务|地区|区域|之间))', r'(与|同|对|联合|服务|对接|联通|环)[京津冀沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔港澳台]{2,3}'],
 'R4':[r'[东西南北中]{1,2}部?[一二三四五六七八九十两]省[区市]?(一[区市])?|东三省|[一二三四五六七八九十两]省[一二三四五六七八九十两]?[区市]|沿黄[^，。]{0,2}省'],
 'R5':[r'京津冀|长三角|珠三角|粤港澳|大湾区|成渝|川渝|沪苏浙皖'],
 'R6':[r'[^，。、；]{0,6}(奥运会|博览会|论坛|大会|座谈会|马拉松|音乐节|艺术节|一号|工匠|名师|技工|最美)'],
 'R7':[r'[^，。、；]{1,5}(山|湖|湿地|国家公园|文化公园|景区|旅游区|遗址|林场|水库|高原|盆地|草原|峡谷)(?![^，。]{0,2}(实验室|高速|铁路|机场|港))'],
 'R8':[r'[^，。、；]{0,6}(号线|地铁|轨道交通|环线|环城|绕城|[二三四五六七]环)'],
 'R9':[r'[^，。、；]{0,8}(高速公路|高速|高铁|铁路|国道|城际|G\d{2,4}|S\d{2,4})(段|[^，。、；]{0,8}段)?'],
 'R10':[r'(?<![\u4e00-\u9fff])?(新区|启动区|片区|合作区|示范区|副中心|机场|综保区|综合保税区|自贸试验区|自贸区)'],
}
path=sys.argv[1]; want=sys.argv[2:] or list(RULES)
t=open(path,encoding='utf-8',newline='').read()
for r in want:
    print(f'===== {r}')
    seen=set()
    for p in RULES[r]:
        for m in re.finditer(p,t):
            if m.span() in seen: continue
            seen.add(m.span())
            s,e=m.span(); print(f'{s}\t{e}\t{m.group()}\t…{t[max(0,s-12):e+12].replace(chr(10)," ")}…')
    if r=='R3':  # second pass: every other occurrence of each compound found
        comps={re.sub(r'^(与|同|对|联合|服务|对接|联通|环)','',t[s:e]) for s,e in seen}
        for c in sorted(comps):
            for m in re.finditer(re.escape(c),t):
                if m.span() in seen or any(a<=m.start()<b for a,b in seen): continue
                s,e=m.span(); print(f'{s}\t{e}\t{c}\t(also)\t…{t[max(0,s-12):e+12].replace(chr(10)," ")}…')
