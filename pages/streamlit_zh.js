// Streamlit's own words in Chinese.
//
// Streamlit has no translations (streamlit/streamlit#1353): its widgets, tables and status
// write English themselves ("Press Enter to apply", "No results", "Sort ascending", "Stop").
// This watches the page and replaces those exact texts, and the same words in placeholder,
// title and aria-label attributes, so screen readers and tooltips say them in Chinese too.
// The app's own text is left alone: Markdown (labels, messages, names from data) and the
// maps are skipped, except Streamlit's tooltips and upload box, which it writes as Markdown.
// tests/test_browser.py reads every replaced word in Chromium, so a Streamlit upgrade that
// changes one fails there instead of bringing the English back unnoticed.

const WORDS = {
  // text and number boxes, forms
  "Press Enter to apply": "按回车键确认",
  "Press Enter to submit form": "按回车键提交",
  "Press Ctrl+Enter to apply": "按 Ctrl+回车键确认",
  "Press ⌘+Enter to apply": "按 ⌘+回车键确认",
  "Press Ctrl+Enter to submit form": "按 Ctrl+回车键提交",
  "Press ⌘+Enter to submit form": "按 ⌘+回车键提交",
  // an upload box's other refusals
  "File size is too small.": "文件是空的",
  "Only one file is allowed.": "只能上传一个文件",
  "File type not allowed.": "不支持这种文件类型",
  "Error:": "错误：",  // what a screen reader says before a refused file's reason (a text of its own there)
  // a number box's step buttons
  "Decrement": "减小",
  "Increment": "增大",
  // select boxes
  "No results": "没有匹配的选项",
  "No options to select": "没有可选的选项",
  "Choose an option": "请选择",
  "Choose options": "请选择",
  "Select all": "全选",
  "Selected values": "已选的值",
  "Clear all": "全部清除",
  "Clear value": "清除",
  "Show password": "显示密码",
  "Hide password": "隐藏密码",
  // upload box
  "Upload": "选择文件",
  "Add files": "添加文件",
  "add icon": "添加",
  "file upload": "上传文件",
  "Drag and drop file here": "拖放文件到此处",
  "Drag and drop files here": "拖放文件到此处",
  // downloads made on click
  "Failed to generate file for download": "文件未能生成，请再单击一次。",
  "Request timed out": "请求超时，请再单击一次。",
  "Connection closed": "连接已断开，请刷新页面后再试。",
  // the running figure, the connection, the keyboard's first stop
  "Running...": "正在运行…",
  "Stop": "停止",
  "Stopping...": "正在停止…",
  "Connecting": "正在连接",
  "Connecting to Streamlit server": "正在连接地图服务",
  "Error": "错误",
  "Unable to connect to Streamlit server": "无法连接地图服务",
  "Connection error": "连接错误",
  "Connection timed out.": "连接超时。",
  "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:":
    "地图服务没有响应，可能正在重新启动。请稍候再刷新页面；若一直如此，请联系管理员。",
  "Streamlit server is not responding. Are you connected to the internet?":
    "地图服务没有响应。请检查网络连接，稍候再刷新页面。",
  "streamlit run yourscript.py": "（管理员：请在服务器上重新启动应用）",
  "Copy to clipboard": "复制",
  // the ⋮ menu (its screen recorder, English throughout, is hidden: UNWANTED)
  "Print": "打印本页",
  "Made with Streamlit v": "基于 Streamlit 构建，版本 ",  // React writes the version as a text node of its own
  "Copy version to clipboard": "复制版本号",
  "Skip to main content": "跳到主要内容",
  "App pages": "页面导航",
  "Link to heading": "链接到此标题",
  "Sidebar": "侧边栏",
  "Collapse sidebar": "收起侧边栏",
  "Expand sidebar": "展开侧边栏",
  "Main menu": "主菜单",
  "Open": "展开",
  "Close": "关闭",
  "Dismiss": "关闭",
  // tables: toolbar, search, columns menu
  "Show/hide columns": "显示/隐藏列",
  "Search": "搜索",
  "Type to search": "输入以搜索",
  "Close Search": "关闭搜索",
  "Next Result": "下一个结果",
  "Previous Result": "上一个结果",
  "Dataframe column menu": "列菜单",
  "Fullscreen": "全屏",
  "Download as PNG": "下载为 PNG 图片",
  "Download as SVG": "下载为 SVG 图片",
  "Show data": "显示数据",
  "Hide data": "隐藏数据",
  "Show chart": "显示图表",
  "Copy Vega-Lite spec": "复制图表定义",
  "Close fullscreen": "退出全屏",
  "(index)": "（序号）",
  "Copy column name": "复制列名",
  "Sort ascending": "升序排列",
  "Sort descending": "降序排列",
  "Statistics": "统计",
  "Autosize": "自动列宽",
  "Pin column": "固定此列",
  "Unpin column": "取消固定",
  "Hide column": "隐藏此列",
  "Format": "数字格式",
  "Automatic": "自动",
  "Localized": "本地格式",
  "Plain": "原样",
  "Compact": "简写",
  "Scientific": "科学计数法",
  "Percent": "百分比",
  "Accounting": "会计格式",
  "Values": "数值个数",
  "Empty": "空值个数",
  "Distinct": "不同值个数",
  "Count": "计数",
  "Sum": "合计",
  "Average": "平均值",
  "Median": "中位数",
  "Minimum": "最小值",
  "Maximum": "最大值",
  "Range": "范围",
  "Standard deviation": "标准差",
  "Minimum length": "最短长度",
  "Maximum length": "最长长度",
  "Average length": "平均长度",
  "Date range": "日期范围",
  "Choose date": "选择日期",
  "Choose date range": "选择日期范围",
  "Clear date": "清除日期",
  "Clear dates": "清除日期",
};

// Words too plain to replace in any text, replaced only in one attribute: what Vega tells a screen
// reader each part of a chart is, and the type a table column's icon names in its title.
const ATTRIBUTE_WORDS = {
  "aria-roledescription": {
    "group mark container": "图形组",
    "rect mark container": "条形",
    "line mark container": "折线",
    "symbol mark container": "符号",
    "text mark container": "文字",
    "rule mark container": "线段",
    "visualization": "图表",
    "bar": "条形",
    "line mark": "折线",
    "point": "数据点",
    "area mark": "面积",
    "axis": "坐标轴",
    "legend": "图例",
    "title": "标题",
  },
  "title": { "text": "文本", "number": "数字" },
};

// Texts with numbers or data in them; only the matched part is replaced.
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];
const PATTERNS = [
  [/^(?:Limit )?(\d+(?:\.\d+)?)\s*([KMG]B) per file/, (m, size, unit) => `每个文件不超过 ${size} ${unit}`],
  // an upload box's refusals, shown as the file's tooltip
  [/File must be (\d+(?:\.\d+)?)\s*([KMG]B) or smaller\.$/,
    (m, size, unit) => `文件过大：每个文件不能超过 ${size} ${unit}。请删去无关内容或分批上传`],
  [/\S* files are not allowed\.$/, () => "不支持这种文件：请上传框中列出的格式"],
  // a number box's refusal
  [/Number is outside the allowed range\. Please enter a value between (\S+) and (\S+)\.$/,
    (m, low, high) => `数值超出允许范围：请输入 ${low} 到 ${high} 之间的数`],
  [/Number is below the allowed range\.(?: Please enter a value greater than or equal to (\S+)\.)?$/,
    (m, low) => (low ? `数值太小：请输入不小于 ${low} 的数` : "数值太小")],
  [/Number is above the allowed range\.(?: Please enter a value less than or equal to (\S+)\.)?$/,
    (m, high) => (high ? `数值太大：请输入不大于 ${high} 的数` : "数值太大")],
  [/^(\d+) options? available\.$/, (m, n) => `共 ${n} 个选项。`],
  [/^(\d+) results?$/, (m, n) => `${n} 个结果`],  // a table's search
  [/^Remove (?=.)/, () => "移除 "],  // a chosen value's or an uploaded file's cross: "Remove 商贸"
  // a column's statistics chart, named with its values
  [/^Top values frequency chart: /, () => "最常见值的频数图："],
  [/^Distribution histogram: /, () => "分布直方图："],
  [/^True\/false distribution chart: /, () => "是/否分布图："],
  // a date box: what a screen reader says of its parts ("year, 日期范围 start date", "10 – October")
  [/^(year|month|day), /, (m, part) => ({ year: "年，", month: "月，", day: "日，" })[part]],
  [/ (start|end) date$/, (m, end) => (end === "start" ? " 开始日期" : " 结束日期")],
  [/^(\d+) – [A-Z][a-z]+$/, (m, n) => `${n} 月`],
  [/^Selected (Date|Range): /, (m, what) => (what === "Date" ? "已选日期：" : "已选日期范围：")],
  [new RegExp(`\\b(${MONTHS.join("|")}) (\\d{1,2}), (\\d{4})`, "g"),
    (m, month, day, year) => `${year}年${MONTHS.indexOf(month) + 1}月${day}日`],
  [/日 to (\d{4}年)/g, (m, year) => `日至${year}`],
  [/^Error: (?=\S)/, () => "错误："],  // what a screen reader says before a refusal above (after it is translated)
];

const ATTRIBUTES = ["placeholder", "title", "aria-label", "aria-roledescription", "aria-valuetext"];
// Where the app's own words are: Markdown, the maps, and names from data: the options of a select
// box, the chosen values of a multiselect ([data-tag]), a table's cells (the table behind a data
// grid's canvas, and Vega's tooltip) and a chart's labels. Within them, Streamlit's tooltips, upload
// box, status, a heading's link and a chosen value's cross are Streamlit's, and are translated.
const OWN = ".wc-map, [data-testid='stMarkdownContainer'], [role='option'], [data-tag], table, "
  + "[data-testid='stVegaLiteChart'] text";
const STREAMLITS = "[data-testid='stTooltipContent'], [data-testid='stFileUploaderDropzone'], "
  + "[data-testid='stStatusWidget'], [data-testid='stHeaderActionElements'], [data-tag] > button";

function chinese(text, words = WORDS) {
  const core = text.trim();
  if (!core) { return null; }
  let out = Object.hasOwn(words, core) ? words[core] : undefined;  // not "constructor" and the like
  if (out === undefined && words !== WORDS && Object.hasOwn(WORDS, core)) { out = WORDS[core]; }
  if (out === undefined) {  // each pattern in turn: a date box's label can have two
    let changed = core;
    for (const [pattern, make] of PATTERNS) {
      pattern.lastIndex = 0;
      if (pattern.test(changed)) { pattern.lastIndex = 0; changed = changed.replace(pattern, make); }
    }
    out = changed === core ? undefined : changed;
  }
  return out === undefined ? null : text.replace(core, out);
}

function appsOwn(element) {
  return Boolean(element && element.closest(OWN)) && !element.closest(STREAMLITS);
}

// The notes of an empty list, which Streamlit writes as one of the list's options.
const EMPTY_LIST = new Set(["No results", "No options to select"]);

function translateText(node) {
  if (appsOwn(node.parentElement) && !EMPTY_LIST.has(node.nodeValue.trim())) { return; }
  const out = chinese(node.nodeValue);
  if (out !== null) { node.nodeValue = out; }
}

function translateAttributes(element) {
  if (appsOwn(element)) { return; }
  for (const name of ATTRIBUTES) {
    const value = element.getAttribute(name);
    const out = value && chinese(value, ATTRIBUTE_WORDS[name] || WORDS);
    if (out) { element.setAttribute(name, out); }
  }
}

// Streamlit's own controls nobody here needs, whose dialogs would be English throughout. Hidden as they
// appear (the menu is drawn when opened), not by a page-wide stylesheet: inserting one restyled the whole
// page during the first load.
const UNWANTED = "[data-testid='stMainMenuItem-recordScreencast']";

function tidyElement(el) {
  if (el.matches(UNWANTED)) { el.style.display = "none"; }
  translateAttributes(el);
}

function translateTree(root) {
  if (root.nodeType === Node.TEXT_NODE) { translateText(root); return; }
  if (root.nodeType !== Node.ELEMENT_NODE || root.closest(".wc-map")) { return; }
  tidyElement(root);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.nodeType === Node.ELEMENT_NODE && n.matches(".wc-map")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) { translateText(n); } else { tidyElement(n); }
  }
}

function watch() {
  translateTree(document.body);
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "childList") {
        change.addedNodes.forEach(translateTree);
      } else if (change.type === "characterData") {
        translateText(change.target);
      } else {
        translateAttributes(change.target);
      }
    }
  }).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES,
  });
}

// A paste that would pass a field's max_chars: Streamlit drops all of it, without a word (10,000 characters
// pasted into a 2,000-character comment box inserted nothing). Insert what fits and say what was left out.
// The limit is read from the field's own counter ("0/2000"), shown while it has the focus.
const FIELDS = "[data-testid='stTextArea'], [data-testid='stTextInput']";

function pasteWhatFits(event) {
  const field = event.target;
  if (!(field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement)) { return; }
  const box = field.closest(FIELDS);
  const counter = box && box.querySelector("[data-testid='InputInstructions']");
  const limit = counter && counter.textContent.match(/(\d+)\/(\d+)/);
  const text = event.clipboardData ? event.clipboardData.getData("text") : "";
  if (!limit || !text) { return; }
  const max = Number(limit[2]);
  const kept = field.value.length - ((field.selectionEnd || 0) - (field.selectionStart || 0));
  if (kept + text.length <= max) { return; }
  event.preventDefault();
  const room = Math.max(0, max - kept);
  document.execCommand("insertText", false, text.slice(0, room));  // as typed: Streamlit takes it
  let note = box.querySelector(".wc-paste-note");
  if (!note) {
    note = document.createElement("div");
    note.className = "wc-paste-note";
    note.setAttribute("role", "alert");
    note.style.cssText = "color:#b42318;font-size:0.875rem;margin-top:0.25rem";
    box.appendChild(note);
  }
  note.textContent = `粘贴的内容有 ${text.length} 个字符，超过此处上限 ${max}：只粘贴了前 ${room} 个，请检查并删减。`;
}

export default function () {
  if (!window.__weichengChinese) {  // once per page: the component is drawn on every run
    window.__weichengChinese = true;
    watch();
    document.addEventListener("paste", pasteWhatFits, true);
  }
}
