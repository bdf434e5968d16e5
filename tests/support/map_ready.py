"""Browser-side checks of the Atlas map, shared by the browser tests and ``bench/atlas.py``."""

#: The map is ready when the raster source points at tiles containing every string of ``want``, the style is loaded
#: and every tile of the view has arrived (MapLibre's own bookkeeping, reached through Plotly's map subplot).
MAP_READY_JS = """(want) => {
    const gd = document.querySelector('#atlas-map .js-plotly-plot');
    const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    const m = sub && sub.map;
    if (!m || !m.isStyleLoaded()) return false;
    const raster = Object.values(m.getStyle().sources).filter(s => s.type === 'raster');
    if (!raster.some(s => (s.tiles || []).some(t => want.every(w => t.includes(w))))) return false;
    return m.loaded() && m.areTilesLoaded();
}"""
#: Resolves after two animation frames (the new tiles are painted).
TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
