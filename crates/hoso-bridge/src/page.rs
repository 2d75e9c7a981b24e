//! The one page phones see: Vietnamese, large buttons, nothing loaded from anywhere else.
//! Photos are sent one request each (the raw file as the body, its name in `X-File-Name`), two
//! at a time, each with its own progress bar; a failed send is retried by itself with growing
//! pauses (and as soon as the phone is back on the network), then offered to the person.

pub const PAGE: &str = r##"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gửi ảnh giấy tờ sang HoSo</title>
<style>
  * { box-sizing: border-box; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
         padding: 16px; font-size: 18px; line-height: 1.45; color: #1b1b1b; background: #f6f7f9; }
  h1 { font-size: 24px; margin: 4px 0 8px; }
  p.help { margin: 0 0 16px; color: #333; }
  label.big { display: flex; align-items: center; justify-content: center; min-height: 72px;
              margin: 0 0 12px; border-radius: 12px; font-size: 22px; font-weight: 600;
              cursor: pointer; border: 2px solid #0b57d0; }
  label.primary { background: #0b57d0; color: #fff; }
  label.secondary { background: #fff; color: #0b57d0; }
  label.big:focus-within { outline: 4px solid #f4b400; }
  input[type=file] { position: absolute; opacity: 0; width: 1px; height: 1px; }
  #summary { font-weight: 600; margin: 16px 0 8px; }
  ul { list-style: none; padding: 0; margin: 0; }
  li { background: #fff; border-radius: 10px; padding: 10px 12px; margin: 0 0 8px;
       border: 1px solid #d0d4da; }
  .name { word-break: break-all; }
  .state { font-size: 16px; margin-top: 2px; }
  .ok .state { color: #146c2e; }
  .bad .state { color: #b3261e; }
  progress { width: 100%; height: 14px; }
  button.again { margin-top: 6px; min-height: 48px; font-size: 18px; padding: 0 16px;
                 border-radius: 8px; border: 2px solid #b3261e; background: #fff; color: #b3261e; }
</style>
</head>
<body>
<h1>Gửi ảnh giấy tờ sang máy tính</h1>
<p class="help">Chụp từng trang giấy, đặt trên nền tối, giữ máy thẳng. Ảnh hiện ngay trên máy tính.</p>
<label class="big primary">Chụp ảnh
  <input id="camera" type="file" accept="image/*" capture="environment"></label>
<label class="big secondary">Chọn ảnh có sẵn
  <input id="gallery" type="file" accept="image/*" multiple></label>
<div id="summary" role="status" aria-live="polite">Chưa gửi ảnh nào.</div>
<ul id="list"></ul>
<script>
"use strict";
const base = location.pathname.endsWith("/") ? location.pathname : location.pathname + "/";
const upUrl = base + "up";
const list = document.getElementById("list");
const summary = document.getElementById("summary");
const queue = [];
let running = 0, done = 0, failed = 0;
const PAUSES = [2, 4, 8, 15, 30, 30];

function kb(n) { return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB"; }
function show() {
  const waiting = queue.length + running;
  let t = done === 0 ? "Chưa gửi ảnh nào." : "Máy tính đã nhận " + done + " ảnh.";
  if (waiting > 0) t += " Đang gửi " + waiting + " ảnh…";
  if (failed > 0) t += " " + failed + " ảnh chưa gửi được.";
  summary.textContent = t;
}
function add(file) {
  const li = document.createElement("li");
  const name = document.createElement("div"); name.className = "name";
  name.textContent = file.name + " (" + kb(file.size) + ")";
  const bar = document.createElement("progress"); bar.max = 100; bar.value = 0;
  const state = document.createElement("div"); state.className = "state"; state.textContent = "Chờ gửi";
  li.append(name, bar, state);
  list.prepend(li);
  const job = { file, li, bar, state, tries: 0 };
  queue.push(job); pump(); show();
}
function pump() {
  while (running < 2 && queue.length > 0) { running++; send(queue.shift()); }
}
function finish(job, ok, text) {
  running--;
  job.li.className = ok ? "ok" : "bad";
  job.state.textContent = text;
  job.bar.hidden = ok;
  if (ok) done++;
  pump(); show();
}
function later(job, seconds, why) {
  running--;
  job.state.textContent = why + " Tự gửi lại sau " + seconds + " giây…";
  let gone = false;
  const go = () => { if (gone) return; gone = true; clearTimeout(timer); window.removeEventListener("online", go); queue.unshift(job); pump(); show(); };
  const timer = setTimeout(go, seconds * 1000);
  window.addEventListener("online", go);
  pump(); show();
}
function giveUp(job, text) {
  failed++;
  finish(job, false, text);
  const again = document.createElement("button");
  again.className = "again"; again.type = "button"; again.textContent = "Gửi lại ảnh này";
  again.onclick = () => { again.remove(); failed--; job.tries = 0; job.li.className = ""; job.bar.hidden = false; queue.push(job); pump(); show(); };
  job.li.append(again);
}
function send(job) {
  job.tries++;
  job.state.textContent = "Đang gửi…";
  const x = new XMLHttpRequest();
  x.open("POST", upUrl);
  x.setRequestHeader("X-File-Name", encodeURIComponent(job.file.name));
  x.upload.onprogress = e => { if (e.lengthComputable) job.bar.value = Math.round(100 * e.loaded / e.total); };
  x.onload = () => {
    let body = {};
    try { body = JSON.parse(x.responseText); } catch (_) {}
    if (x.status === 201) return finish(job, true, "Máy tính đã nhận ✓");
    if ((x.status === 429 || x.status === 503 || x.status === 408 || x.status >= 500) && job.tries < PAUSES.length) {
      const ra = parseInt(x.getResponseHeader("Retry-After") || "", 10);
      return later(job, ra > 0 ? ra : PAUSES[job.tries - 1], body.error || "Chưa gửi được.");
    }
    giveUp(job, body.error || ("Không gửi được (mã " + x.status + ")."));
  };
  x.onerror = x.ontimeout = () => {
    if (job.tries < PAUSES.length) return later(job, PAUSES[job.tries - 1], "Mất kết nối với máy tính.");
    giveUp(job, "Không kết nối được với máy tính. Hãy kiểm tra điện thoại và máy tính dùng chung một mạng Wi‑Fi.");
  };
  x.send(job.file);
}
for (const id of ["camera", "gallery"]) {
  const input = document.getElementById(id);
  input.addEventListener("change", () => { for (const f of input.files) add(f); input.value = ""; });
}
</script>
</body>
</html>
"##;

pub const EXPIRED: &str = r##"<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mã QR đã hết hạn</title>
<style>body{font-family:system-ui,sans-serif;font-size:20px;padding:20px;line-height:1.5}</style>
</head><body>
<h1>Mã QR đã hết hạn</h1>
<p>Để giữ an toàn cho giấy tờ, mỗi mã chỉ dùng được 15 phút. Trên máy tính, bấm
<b>"Tạo mã mới"</b> trong cửa sổ "Nhận ảnh từ điện thoại" rồi quét lại mã.</p>
</body></html>
"##;
