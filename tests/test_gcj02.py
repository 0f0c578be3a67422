import pytest
from shapely.geometry import LineString

from layers.geometry.gcj02 import gcj02_to_wgs84, geometry_to_gcj02, geometry_to_wgs84, wgs84_to_gcj02

# Published reference points (lat, lon) WGS-84 → GCJ-02.
REFERENCE = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),
]


@pytest.mark.parametrize("wgs, gcj", REFERENCE)
def test_forward_matches_reference_points(wgs, gcj):
    lon, lat = wgs84_to_gcj02(wgs[1], wgs[0])
    assert lon == pytest.approx(gcj[1], abs=1e-9)
    assert lat == pytest.approx(gcj[0], abs=1e-9)


@pytest.mark.parametrize("wgs, gcj", REFERENCE)
def test_inverse_recovers_wgs84_below_a_millimetre(wgs, gcj):
    lon, lat = gcj02_to_wgs84(gcj[1], gcj[0])
    assert lon == pytest.approx(wgs[1], abs=1e-8)
    assert lat == pytest.approx(wgs[0], abs=1e-8)


def test_shift_around_weifang_is_about_half_a_kilometre_east():
    lon, lat = wgs84_to_gcj02(119.1, 36.7)
    east_m = (lon - 119.1) * 111_320 * 0.8018
    assert 450 < east_m < 560


def test_outside_china_is_unchanged():
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)


def test_geometry_round_trip():
    line = LineString([(119.05, 36.70), (119.10, 36.72)])
    back = geometry_to_wgs84(geometry_to_gcj02(line))
    assert back.equals_exact(line, 1e-8)
