"""Count charts whose every word is Chinese: titles, tooltips, legends and screen-reader text.

``st.bar_chart`` names its fields itself ("value", "color", and the frame's own column
names such as ``category_label``), and those names showed in every bar's tooltip. Vega-Lite
also describes axes and legends to screen readers in English unless told otherwise.
"""

from __future__ import annotations

import altair as alt
import pandas as pd


def count_bars(counts: pd.DataFrame | pd.Series, *, row: str, value: str, stack: str | None = None,
               colors: dict[str, str] | None = None, horizontal: bool = False,
               height: int | None = None) -> alt.Chart:
    """Bars of counts, one per row of ``counts``, stacked by its columns when it has several.

    Parameters
    ----------
    counts : DataFrame or Series
        Rows are what the bars stand for (zones, categories); a frame's columns are the stacked
        parts (project categories, pacing status), in the order given; a series is one bar each.
    row, value, stack : str
        What the rows, the counts and the stacked parts are called (axis, legend and tooltip titles).
    colors : dict, optional
        Colour of each stacked part; parts not named use ``#555555``.
    horizontal : bool
        Bars along the x axis, rows down the y axis in the frame's order.
    height : int, optional
        Chart height in pixels; by default Streamlit's.

    Returns
    -------
    altair.Chart
    """
    frame = counts.to_frame("_") if isinstance(counts, pd.Series) else counts
    parts = [str(c) for c in frame.columns]
    rows = [str(r) for r in frame.index]
    long = (frame.set_axis(rows, axis=0).set_axis(parts, axis=1).rename_axis(index="row", columns="part")
            .stack().rename("count").reset_index())
    # what a screen reader says of each bar (Vega would list the encoded fields by their names)
    long["say"] = [f"{row}：{r}；" + (f"{stack}：{p}；" if stack and len(parts) > 1 else "") + f"{value}：{c}"
                   for r, p, c in zip(long["row"], long["part"], long["count"])]
    along = alt.X if horizontal else alt.Y
    across = alt.Y if horizontal else alt.X
    encoding = {
        ("x" if horizontal else "y"): along("count:Q", title=value, stack="zero",
                                            axis=alt.Axis(description=f"{value}轴", tickMinStep=1)),
        ("y" if horizontal else "x"): across("row:N", title=row, sort=rows, axis=alt.Axis(description=f"{row}轴")),
        "tooltip": [alt.Tooltip("row:N", title=row)]
                   + ([alt.Tooltip("part:N", title=stack)] if stack and len(parts) > 1 else [])
                   + [alt.Tooltip("count:Q", title=value)],
        "description": alt.Description("say:N"),
    }
    if stack and len(parts) > 1:
        palette = colors or {}
        encoding["color"] = alt.Color("part:N", title=stack, sort=parts,
                                      scale=alt.Scale(domain=parts, range=[palette.get(p, "#555555") for p in parts]),
                                      legend=alt.Legend(description=f"图例：{stack}"))
        encoding["order"] = alt.Order("order:Q")
        long["order"] = long["part"].map({p: i for i, p in enumerate(parts)})
    chart = alt.Chart(long, description=f"{row}的{value}").mark_bar().encode(**encoding)
    return chart.properties(height=height) if height else chart
