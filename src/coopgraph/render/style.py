"""The look shared by every picture of the network: colours, shapes and the words around them.

Colours are Paul Tol's "muted" scheme, extended: told apart by people with the common
colour-vision deficiencies. The shape says where an organization is from, so a
picture printed in grey still shows it.
"""

from __future__ import annotations

TYPE_COLOURS = {
    "government-body": "#4477AA",
    "political-body": "#88CCEE",
    "legislature": "#332288",
    "academy": "#117733",
    "research-institute": "#44AA99",
    "university": "#DDCC77",
    "enterprise": "#CC6677",
    "international-organization": "#AA4499",
    "programme-network": "#882255",
    "association": "#999933",
    "city": "#E69F00",
    "group": "#BBBBBB",
    "other": "#777777",
}
UNKNOWN_COLOUR = "#777777"
CLASS_COLOURS = {"agreement": "#D55E00", "project": "#0072B2", "exchange": "#009E73"}
EDGE_COLOUR = "#9AA5B1"

# vis-network shape names; matplotlib markers in MARKERS.
SCOPE_SHAPES = {"domestic": "dot", "foreign": "diamond", "unknown": "triangle"}
ACTIVITY_SHAPE = "square"
MARKERS = {"dot": "o", "diamond": "D", "triangle": "^", "square": "s"}

# The words of the pages and images, per language (the data's own text comes from the data).
WORDS = {
    "en": {
        "search": "Search",
        "search-hint": "name, in any language, with or without accents",
        "types": "Organization types",
        "countries": "Countries",
        "years": "Years",
        "from": "from",
        "to": "to",
        "undated": "activities without a date",
        "all": "all",
        "none": "none",
        "reset": "Reset",
        "legend": "Legend",
        "shown": "{n} of {total} organizations, {e} of {etotal} links shown",
        "shown-activities": "{n} of {total} nodes, {e} of {etotal} participations shown",
        "domestic": "domestic ({home})",
        "foreign": "foreign",
        "unknown": "country not recorded",
        "activity": "activity (agreement, project, exchange)",
        "link": "link: shared activities (thicker: more)",
        "participation": "link: takes part in",
        "size": "size: number of partners",
        "partners": "partners",
        "activities": "activities",
        "shared": "shared activities",
        "sources": "sources",
        "type": "type",
        "country": "country",
        "role": "role",
        "participants": "participants",
        "participant": "participant",
        "dates": "dates",
        "no-date": "no date",
        "data": "Data",
        "records": "records",
        "filters": "Filters",
        "made": "Made with coopgraph {version} on {date}; drawn with {tool}.",
        "dropped": "{dropped} nodes are not shown: the view is limited to {limit}. "
        "Narrow it with --focus, --country, --type, --kind, --since or --top.",
        "links-dropped": "{dropped} of the {total} links between these organizations are not shown: the view "
        "is limited to {limit} links (--max-links). Kept: {kept}, then the strongest other links.",
        "links-kept-focus": "each organization's strongest link toward the focus",
        "links-kept": "the strongest links that keep connected what is connected",
        "ongoing": "ongoing",
        "more-sources": "and {n} more",
        "physics-off": "Positions computed in advance (large graph): drag nodes to move them.",
    },
    "vi": {
        "search": "Tìm kiếm",
        "search-hint": "tên, bằng bất kỳ ngôn ngữ nào, có dấu hoặc không dấu",
        "types": "Loại hình tổ chức",
        "countries": "Quốc gia",
        "years": "Năm",
        "from": "từ",
        "to": "đến",
        "undated": "hoạt động không có ngày tháng",
        "all": "tất cả",
        "none": "bỏ chọn",
        "reset": "Đặt lại",
        "legend": "Chú giải",
        "shown": "Hiển thị {n}/{total} tổ chức, {e}/{etotal} liên kết",
        "shown-activities": "Hiển thị {n}/{total} nút, {e}/{etotal} liên kết tham gia",
        "domestic": "trong nước ({home})",
        "foreign": "nước ngoài",
        "unknown": "chưa ghi quốc gia",
        "activity": "hoạt động (thỏa thuận, dự án, trao đổi)",
        "link": "liên kết: hoạt động chung (càng dày càng nhiều)",
        "participation": "liên kết: tham gia",
        "size": "kích thước: số đối tác",
        "partners": "đối tác",
        "activities": "hoạt động",
        "shared": "hoạt động chung",
        "sources": "nguồn",
        "type": "loại hình",
        "country": "quốc gia",
        "role": "vai trò",
        "participants": "bên tham gia",
        "participant": "bên tham gia",
        "dates": "thời gian",
        "no-date": "không rõ thời gian",
        "data": "Dữ liệu",
        "records": "bản ghi",
        "filters": "Bộ lọc",
        "made": "Tạo bằng coopgraph {version} ngày {date}; vẽ bằng {tool}.",
        "dropped": "{dropped} nút không được hiển thị: giới hạn là {limit} nút. "
        "Thu hẹp bằng --focus, --country, --type, --kind, --since hoặc --top.",
        "links-dropped": "{dropped} trong số {total} liên kết giữa các tổ chức này không được hiển thị: giới hạn "
        "là {limit} liên kết (--max-links). Được giữ: {kept}, sau đó là các liên kết mạnh nhất khác.",
        "links-kept-focus": "liên kết mạnh nhất của mỗi tổ chức hướng về tổ chức trung tâm",
        "links-kept": "các liên kết mạnh nhất giữ cho những gì liên thông vẫn liên thông",
        "ongoing": "đang diễn ra",
        "more-sources": "và {n} nguồn khác",
        "physics-off": "Vị trí được tính trước (đồ thị lớn): kéo các nút để di chuyển.",
    },
}
LANGUAGES = tuple(WORDS)


def words(lang: str) -> dict[str, str]:
    """The interface words in ``lang`` (English for a language without a table)."""
    return WORDS.get(lang, WORDS["en"])


def type_colour(code: str | None) -> str:
    return TYPE_COLOURS.get(code or "", UNKNOWN_COLOUR)
