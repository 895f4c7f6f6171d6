import Foundation
import KeepersCore

/// One photo of a culling page.
public struct PageTile: Sendable, Equatable {
    /// The photo's row in the predict CSV (1 = the first photo), which the
    /// page carries as `data-row` so a test can match tiles to rows.
    public var row: Int
    /// The path as the CSV writes it (untrusted text: escaped on the page).
    public var path: String
    /// Nil for a photo that could not be read.
    public var score: Double?
    public var error: String?
    public var group: Int?
    public var rank: Int?
    /// Stars as `--xmp` writes them (1-5).
    public var stars: Int?
    /// Kept at the threshold (and, with `--best-of-group`, the best of its burst).
    public var kept = false
    /// Capture time in milliseconds (camera clock), for the time order.
    public var captured: Int64?
    public var capturedText: String?
    public var reasons: [Reason] = []
    /// The thumbnail's name inside the page folder, its size in pixels.
    public var thumbnail: String?
    public var thumbnailWidth = 0
    public var thumbnailHeight = 0

    public init(row: Int, path: String, score: Double?, error: String? = nil) {
        self.row = row
        self.path = path
        self.score = score
        self.error = error
    }
}

/// What the header says about the run.
public struct PageSummary: Sendable, Equatable {
    /// The model file as the user named it.
    public var model: String
    public var modelStep: Int?
    public var validationAUC: Double?
    public var threshold: Double
    public var bestOfGroup = false
    /// False for a model without the good photos' statistics: reasons then
    /// say no more than "unlike your keepers".
    public var reasonsNameFaults = true

    public init(model: String, validationAUC: Double?, threshold: Double) {
        self.model = model
        self.validationAUC = validationAUC
        self.threshold = threshold
    }
}

/// `index.html` of a culling page (docs/formats.md, "The culling page"):
/// one self-contained file, its CSS and script inline, nothing fetched but
/// the thumbnails beside it. Bursts are one row each, best frame first;
/// singles share a grid. Every piece of text that comes from a file name or
/// an error message is escaped (`escapeMarkup`).
public enum CullingPage {
    /// A burst (several tiles of one group) or a single photo, in the best-first order.
    struct Item {
        var tiles: [PageTile]
        var isBurst: Bool { tiles.count > 1 }
        var score: Double { tiles.compactMap(\.score).max() ?? -1 }
        var captured: Int64? { tiles.compactMap(\.captured).min() }
    }

    /// Readable photos grouped into items, in the order given (best first).
    static func items(_ tiles: [PageTile]) -> [Item] {
        var items: [Item] = []
        var position: [Int: Int] = [:]
        for tile in tiles where tile.score != nil {
            if let group = tile.group, let index = position[group] {
                items[index].tiles.append(tile)
            } else {
                if let group = tile.group { position[group] = items.count }
                items.append(Item(tiles: [tile]))
            }
        }
        return items.map { item in
            var item = item
            item.tiles.sort { ($0.rank ?? 1, $0.row) < ($1.rank ?? 1, $1.row) }
            return item
        }
    }

    public static func html(tiles: [PageTile], summary: PageSummary) -> String {
        let items = items(tiles)
        let unreadable = tiles.filter { $0.score == nil }
        let readable = tiles.count - unreadable.count
        let kept = tiles.filter(\.kept).count
        let bursts = items.filter(\.isBurst)
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Keepers: \(tiles.count) photos, \(kept) kept</title>
            <style>\(style)</style>
            </head>
            <body>
            <header>
            <h1>Keepers culling page</h1>

            """
        out += "<p class=\"counts\"><strong>\(tiles.count)</strong> photos: <strong>\(kept)</strong> kept (score &ge; "
            + String(format: "%.3f", summary.threshold) + (summary.bestOfGroup ? ", best of each burst only" : "")
            + "), \(readable - kept) rejected, \(items.count) groups (\(bursts.count) \(bursts.count == 1 ? "burst" : "bursts") of "
            + "\(bursts.map(\.tiles.count).reduce(0, +)) photos), \(unreadable.count) unreadable</p>\n"
        let auc = summary.validationAUC.map { String(format: "%.3f", $0) } ?? "not measured"
        out += "<p class=\"model\">Model <code>\(escapeMarkup(summary.model))</code>"
            + (summary.modelStep.map { ", step \($0)" } ?? "") + "; validation AUC \(auc)."
            + (summary.reasonsNameFaults ? "" : " This model file predates the good photos' statistics: "
               + "retrain it for reasons beyond &ldquo;unlike your keepers&rdquo;.") + "</p>\n"
        if !unreadable.isEmpty {
            out += "<details class=\"unreadable\" open><summary>\(unreadable.count) unreadable files</summary><ul>\n"
            for tile in unreadable {
                out += "<li data-row=\"\(tile.row)\"><code>\(escapeMarkup(tile.path))</code>: "
                    + "\(escapeMarkup(tile.error ?? "unreadable"))</li>\n"
            }
            out += "</ul></details>\n"
        }
        out += """
            <nav>
            <span>Order: <button type="button" data-order="score">score</button><button type="button" data-order="time">capture time</button></span>
            <span>Show: <button type="button" data-show="all">all</button><button type="button" data-show="kept">kept only</button><button type="button" data-show="rejected">rejected only</button></span>
            <span class="visible"></span>
            </nav>
            </header>
            <main id="photos">

            """
        for (index, item) in items.enumerated() {
            let time = item.captured.map(String.init) ?? ""
            let attributes = "data-index=\"\(index)\" data-score=\"\(String(format: "%.6f", item.score))\" data-time=\"\(time)\""
            if item.isBurst {
                out += "<section class=\"burst\" \(attributes)><h2>Burst of \(item.tiles.count)</h2><div class=\"frames\">\n"
                for tile in item.tiles { out += self.tile(tile, best: tile.rank == 1) }
                out += "</div></section>\n"
            } else {
                out += "<div class=\"single\" \(attributes)>\n" + self.tile(item.tiles[0], best: false) + "</div>\n"
            }
        }
        out += "</main>\n<script>\(script)</script>\n</body>\n</html>\n"
        return out
    }

    static func tile(_ tile: PageTile, best: Bool) -> String {
        let name = String(tile.path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(tile.path))
        let score = tile.score.map { String(format: "%.3f", $0) } ?? ""
        let stars = tile.stars.map { String(repeating: "\u{2605}", count: $0) + String(repeating: "\u{2606}", count: 5 - $0) } ?? ""
        var out = "<figure class=\"tile \(tile.kept ? "kept" : "rejected")\(best ? " best" : "")\" data-row=\"\(tile.row)\">"
        if let thumbnail = tile.thumbnail {
            out += "<img loading=\"lazy\" src=\"\(escapeMarkup(thumbnail))\" width=\"\(tile.thumbnailWidth)\" "
                + "height=\"\(tile.thumbnailHeight)\" alt=\"\(escapeMarkup(name))\">"
        }
        out += "<figcaption><div class=\"name\" title=\"\(escapeMarkup(tile.path))\">\(escapeMarkup(name))</div>"
        out += "<div class=\"meta\"><span class=\"score\">\(score)</span> <span class=\"stars\" title=\"\(tile.stars ?? 0) stars\">"
            + "\(stars)</span> <span class=\"verdict\">\(tile.kept ? "kept" : "rejected")</span>"
            + (best ? " <span class=\"badge\">best</span>" : "") + "</div>"
        if let time = tile.capturedText { out += "<div class=\"time\">\(escapeMarkup(time))</div>" }
        if !tile.reasons.isEmpty {
            out += "<div class=\"reasons\">\(escapeMarkup(Reason.text(tile.reasons)))</div>"
        }
        return out + "</figcaption></figure>\n"
    }

    static let style = """
        body{font:14px/1.35 system-ui,sans-serif;margin:0;background:#f4f4f4;color:#222}
        header{position:sticky;top:0;z-index:1;background:#fff;border-bottom:1px solid #ccc;padding:8px 16px}
        h1{font-size:18px;margin:0 0 4px}p{margin:2px 0}
        nav{display:flex;gap:18px;flex-wrap:wrap;margin-top:6px}
        nav button{margin-left:4px;border:1px solid #aaa;background:#fafafa;border-radius:3px;padding:2px 8px;cursor:pointer}
        nav button.on{background:#2b6cb0;border-color:#2b6cb0;color:#fff}
        details.unreadable{margin:4px 0;max-height:8em;overflow:auto}
        main{display:grid;grid-template-columns:repeat(auto-fill,minmax(236px,1fr));gap:10px;padding:12px 16px;align-items:start}
        .single,.burst{content-visibility:auto;contain-intrinsic-size:auto 270px}
        .burst{grid-column:1/-1;background:#e6e9ee;border-radius:6px;padding:6px 8px}
        .burst h2{font-size:13px;margin:0 0 4px;color:#555}
        .frames{display:flex;gap:10px;overflow-x:auto}
        .frames .tile{flex:0 0 236px}
        .tile{margin:0;background:#fff;border:3px solid #ddd;border-radius:4px;padding:4px;overflow:hidden}
        .tile.kept{border-color:#38a169}
        .tile.rejected{background:#e4e4e4}.tile.rejected img{opacity:.75}.tile.rejected img:hover{opacity:1}
        .tile.best{border-color:#d69e2e;box-shadow:0 0 0 2px #d69e2e}
        .tile img{display:block;width:100%;height:170px;object-fit:contain;background:#e8e8e8}
        .name{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        .stars{color:#b7791f;letter-spacing:1px}.verdict{color:#555}
        .tile.kept .verdict{color:#2f855a;font-weight:600}
        .badge{background:#d69e2e;color:#fff;border-radius:3px;padding:0 4px;font-size:12px;white-space:nowrap}
        .reasons{color:#c53030}.time{color:#777;font-size:12px}
        [hidden]{display:none!important}
        """

    /// Order and filter, kept in the address (#order=time&show=kept) so a
    /// reload or a shared link opens the same view.
    static let script = """
        (function(){
        var main=document.getElementById('photos');
        var items=Array.prototype.slice.call(main.children);
        var state={order:'score',show:'all'};
        function read(){location.hash.replace(/^#/,'').split('&').forEach(function(p){
          var kv=p.split('=');if(kv[0]==='order'&&(kv[1]==='score'||kv[1]==='time'))state.order=kv[1];
          if(kv[0]==='show'&&(kv[1]==='all'||kv[1]==='kept'||kv[1]==='rejected'))state.show=kv[1];});}
        function key(el){return state.order==='time'?(el.dataset.time===''?Infinity:Number(el.dataset.time)):-Number(el.dataset.score);}
        var current='score';
        function apply(){
          // The page comes in score order: a reorder only when asked for another.
          if(state.order!==current){current=state.order;
            var sorted=items.slice().sort(function(a,b){var d=key(a)-key(b);
              return d<0?-1:d>0?1:Number(a.dataset.index)-Number(b.dataset.index);});
            var frag=document.createDocumentFragment();
            sorted.forEach(function(el){frag.appendChild(el);});main.appendChild(frag);}
          var shown=0;
          items.forEach(function(el){var any=false;
            el.querySelectorAll('.tile').forEach(function(t){
              var on=state.show==='all'||(state.show==='kept')===t.classList.contains('kept');
              if(t.hidden===on)t.hidden=!on;if(on){any=true;shown++;}});
            if(el.hidden===any)el.hidden=!any;});
          document.querySelectorAll('nav button').forEach(function(b){
            b.classList.toggle('on',b.dataset.order===state.order||b.dataset.show===state.show);});
          document.querySelector('nav .visible').textContent=shown+' shown';
        }
        document.querySelectorAll('nav button').forEach(function(b){b.addEventListener('click',function(){
          if(b.dataset.order)state.order=b.dataset.order;if(b.dataset.show)state.show=b.dataset.show;
          try{history.replaceState(null,'','#order='+state.order+'&show='+state.show);}catch(e){}apply();});});
        read();apply();
        })();
        """
}
