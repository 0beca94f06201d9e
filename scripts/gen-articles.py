#!/usr/bin/env python3
"""Write N synthetic French dispatches as JSON Lines (for the ingest benchmark).

Each one is a few sentences built from our own templates: a strike, clashes or
a capture at a Syrian place, dated, with a toll and a claimant, plus filler
context. Deterministic for a seed.
    python3 scripts/gen-articles.py 10000 > articles.jsonl
"""
import json
import random
import sys
from datetime import date, timedelta

PLACES = ["Alep", "Idleb", "Homs", "Hama", "Deraa", "Raqqa", "Douma", "Palmyre", "Manbij", "Afrin",
          "Deir ez-Zor", "Maarat al-Nouman", "Saraqeb", "Khan Cheikhoun", "Jisr al-Choughour",
          "Kobané", "Tal Abyad", "Qousseir", "Zabadani", "Daraya", "Harasta", "Jobar", "Lattaquié",
          "Tartous", "Boukamal", "Mayadine", "Hassaké", "Qamichli", "Azaz", "Al-Bab", "Jarablous",
          "Tadef", "Ariha", "Latamné", "Mourek", "Soueïda", "Quneitra", "Nawa", "Bosra", "Tell Rifaat"]
STRIKERS = ["l'aviation russe", "l'aviation du régime", "la coalition internationale", "des drones turcs",
            "l'armée syrienne"]
SIDES = ["les forces gouvernementales", "les rebelles", "le groupe État islamique", "les FDS",
         "Hayat Tahrir al-Cham", "l'Armée syrienne libre"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
FILLER = [
    "Les habitants ont fui vers les villages voisins.",
    "Les secours tentaient encore de dégager des victimes des décombres.",
    "La situation humanitaire reste très préoccupante dans la région.",
    "Aucune réaction officielle n'avait été publiée en fin de journée.",
    "Les communications étaient coupées dans plusieurs quartiers.",
]


def dispatch(rng, i):
    day = date(2012, 1, 1) + timedelta(days=rng.randrange(365 * 12))
    published = day + timedelta(days=rng.choice([0, 0, 1, 2]))
    place = rng.choice(PLACES)
    other = rng.choice(PLACES)
    when = f"le {day.day} {MONTHS[day.month - 1]} {day.year}"
    toll = rng.randrange(1, 60)
    kind = rng.randrange(3)
    if kind == 0:
        first = (f"Des raids aériens menés par {rng.choice(STRIKERS)} ont frappé {place} {when}, "
                 f"faisant au moins {toll} morts, selon l'OSDH.")
    elif kind == 1:
        first = (f"De violents combats ont opposé {when} {rng.choice(SIDES)} à {rng.choice(SIDES)} "
                 f"dans les environs de {place}, a rapporté l'OSDH.")
    else:
        side = rng.choice(SIDES)
        first = f"{side[0].upper()}{side[1:]} ont pris {when} le contrôle de {place}, selon l'OSDH."
    second = (f"Par ailleurs, des tirs d'artillerie ont visé {other}, blessant {rng.randrange(2, 30)} "
              f"personnes.")
    text = " ".join([f"Dépêche {i}.", first, rng.choice(FILLER), second, rng.choice(FILLER)])
    return {"id": f"bench-{i}", "url": f"https://example.org/bench/{i}", "source": "example.org",
            "published": published.isoformat(), "title": f"Dépêche {i}", "text": text}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    out = sys.stdout
    for i in range(n):
        out.write(json.dumps(dispatch(rng, i), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
