"""Sentences written for Docket's tests: per kind, two differently worded ones that must yield a claim
of that kind, and one that must not (a negation, a hypothetical, or an unrelated use of the word)."""

POSITIVE = {
    "control_change": [
        "On 3 April 1993 the town of Lachin was seized by Armenian forces.",
        "Azerbaijani troops liberated the Zangilan district in October 2020.",
    ],
    "attack": [
        "The village of Talish was shelled by artillery on 2 April 2016.",
        "Government forces launched a large-scale offensive against the rebel positions near Agdam.",
    ],
    "killing": [
        "At least 30 civilians were killed in the shelling of Tartar.",
        "Dozens of villagers died when the dam was blown up.",
    ],
    "detention_missing": [
        "Some 200 residents were taken hostage during the assault on the town.",
        "More than 4,000 persons remain missing since the war, the commission reported.",
    ],
    "displacement": [
        "Nearly 30,000 inhabitants of Lachin fled to neighbouring districts.",
        "Around 500 families were expelled from the village of Heyvaly in 1993.",
    ],
    "looting": [
        "The museum collection of Aghdam was looted after the town fell.",
        "Houses in the abandoned villages were plundered by irregular units.",
    ],
    "destruction": [
        "Twelve schools and the district hospital were destroyed by the bombardment.",
        "The old bridge over the river was demolished in 1994.",
    ],
    "heritage_alteration": [
        "The inscriptions of the Khudavank monastery were altered by the new administration.",
        "Two mosques in Shusha were converted into museums by the local authorities.",
    ],
    "resource_extraction": [
        "A foreign firm has been mining gold at the Soyudlu deposit since 2009.",
        "Timber from the forests of Kalbajar was extracted and shipped abroad.",
    ],
    "environmental_damage": [
        "Waste from the mine polluted the Tartar river downstream.",
        "The depletion of the copper deposit left the valley barren.",
    ],
    "infrastructure": [
        "A new road was built from Vardenis to the mining site in 2017.",
        "The authorities constructed a pipeline through the occupied district.",
    ],
    "trade": [
        "Gold extracted in the district was exported to Switzerland by a trading company.",
        "European buyers imported wine produced in the occupied territories.",
    ],
    "settlement": [
        "The government settled hundreds of families in the emptied villages of Lachin.",
        "Observers counted dozens of settlers who had moved into the district.",
    ],
    "legal_act": [
        "The Security Council adopted resolution 853 (1993) on 29 July 1993.",
        "The General Assembly passed a resolution on the situation in the occupied territories in 2008.",
    ],
    "demand": [
        "The Council demanded the immediate release of all hostages.",
        "The ministry calls on the international community to recognise the rights of the displaced.",
    ],
    "noncompliance": [
        "The occupying side ignored the four resolutions of the Security Council.",
        "Armenia has failed to comply with the ceasefire agreement.",
    ],
    "diplomacy": [
        "The OSCE Minsk Group mediated a ceasefire between the parties in May 1994.",
        "The co-chairs held talks with both foreign ministers in Geneva.",
    ],
}

NEGATIVE = {
    "control_change": "All seats in the hall were occupied by delegates before the session opened.",
    "attack": "The minister denied that any attack had taken place.",
    "killing": "The proposal was killed in committee last week.",
    "detention_missing": "The spokesperson said no one was detained during the protest.",
    "displacement": "If the fighting resumes, thousands could be forced to flee.",
    "looting": "The museum was not looted, the curator said.",
    "destruction": "His hopes were destroyed by the result of the vote.",
    "heritage_alteration": "The schedule of the meeting was changed twice.",
    "resource_extraction": "The company plans to start mining gold at the site next year.",
    "environmental_damage": "The report found that the river was not polluted.",
    "infrastructure": "The ministry built its case on satellite images.",
    "trade": "The delegation discussed whether imports of grain would rise.",
    "settlement": "The parties hoped for a lasting settlement of the conflict.",
    "legal_act": "The Council could adopt a resolution next month if members agree.",
    "demand": "As demanded by the resolution, the report was circulated to members.",
    "noncompliance": "The parties have not ignored the appeal of the mediators.",
    "diplomacy": "The talk show host interviewed a former diplomat.",
}
