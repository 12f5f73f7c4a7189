"""The default scoring template (C7): the plan's five dimensions, 20 points each, with concrete items.

The plan (seed-documents.txt 第一篇 §三(一)) names the five dimensions and points to the 2012 reference standard
(组厅字〔2012〕6号) for the detail; there is no central split, so each dimension gets 20 points and items drawn from
the plan and common practice. Districts adjust them per year and per field before opening the campaign.
Two veto items (C4) carry no points: triggering one makes the organization 较差 whatever its score.
"""

from __future__ import annotations

# (dimension, points, [(item, max points, guidance, is_veto)])
DefaultItem = tuple[str, str, str, bool]

DEFAULT_DIMENSIONS: list[tuple[str, str, list[DefaultItem]]] = [
    (
        "领导班子好",
        "20",
        [
            ("班子结构合理、团结协作,按期换届", "5", "查班子成员名册、换届资料;班子分工明确,无内耗。", False),
            ("书记政治素质好、带头作用发挥明显", "6", "看书记履职情况和党员群众评价;书记抓党建述职情况。", False),
            (
                "落实民主集中制,重大事项集体讨论决定",
                "5",
                "查支委会记录;“四议两公开”或重大事项议事规则执行情况。",
                False,
            ),
            ("班子成员廉洁自律,作风务实", "4", "听取纪检部门意见;有违规违纪苗头的酌情扣分。", False),
            ("班子成员存在严重违纪违法问题", "0", "一票否决:班子成员受到党纪政务处分或被追究刑事责任。", True),
        ],
    ),
    (
        "党员队伍好",
        "20",
        [
            ("党员发展程序规范,注重发展青年党员", "5", "查发展党员档案;近三年发展党员情况。", False),
            ("党员教育管理经常,按时足额交纳党费", "5", "查党员学习记录、党费收缴台账。", False),
            ("党员先锋模范作用发挥明显,设岗定责、承诺践诺", "5", "查党员设岗定责、承诺践诺和志愿服务记录。", False),
            ("流动党员、困难党员和老党员管理服务到位", "5", "查流动党员台账和关怀帮扶记录。", False),
        ],
    ),
    (
        "工作机制好",
        "20",
        [
            ("“三会一课”制度落实,记录完整", "6", "查支部党员大会、支委会、党小组会和党课记录。", False),
            ("按时召开组织生活会,认真开展批评与自我批评", "5", "查组织生活会方案、记录和整改清单。", False),
            ("开展民主评议党员", "4", "查民主评议党员记录和结果运用。", False),
            ("党务、村(居)务公开及时规范", "5", "查公开栏和公开记录;按规定时限公开。", False),
        ],
    ),
    (
        "工作业绩好",
        "20",
        [
            ("完成上级党组织部署的各项任务", "6", "对照年度目标任务逐项核实。", False),
            ("发展壮大集体经济或推动本单位中心工作成效明显", "7", "查集体经济收入或本单位业务指标完成情况。", False),
            ("服务群众办实事,活动阵地建设和使用良好", "7", "查为民办实事台账和活动场所使用记录。", False),
        ],
    ),
    (
        "群众反映好",
        "20",
        [
            ("群众满意度测评", "10", "按测评会(附件2)和走访结果计分。", False),
            ("联系服务群众经常,群众诉求及时回应", "5", "查走访记录和诉求办理台账。", False),
            ("矛盾纠纷排查化解及时,社会和谐稳定", "5", "查矛盾纠纷排查调处台账。", False),
            ("发生群体性事件或集中信访", "0", "一票否决:因工作不力引发群体性事件或集中信访、越级上访。", True),
        ],
    ),
]

DEFAULT_TEMPLATE_NAME = "通用评分标准"
