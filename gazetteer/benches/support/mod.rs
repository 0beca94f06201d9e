//! What both benchmarks share (the gazetteer's and `frontline`'s, which
//! includes this file by path): the dev corpus files, the fallback text,
//! and timing by the CPU time of the benchmark thread.

use criterion::Bencher;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The `*.json` articles of `../shared/corpus/dev` beside the repository,
/// sorted; none when that folder is absent.
pub fn dev_corpus(repository: &Path) -> Vec<PathBuf> {
    let dir = repository.join("../shared/corpus/dev");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
}

/// News-style French written for this benchmark (not taken from any article).
pub const FALLBACK: &str = "\
Les forces gouvernementales ont repris jeudi le contrôle de Khan Toumane, \
localité située à une quinzaine de kilomètres au sud-ouest d'Alep, après \
trois jours d'affrontements avec des groupes rebelles, selon l'OSDH, qui \
compte au moins douze combattants tués.

Dans la province d'Idleb, des raids aériens attribués à l'aviation russe ont \
visé mardi soir un marché de Maaret al-Noomane et les environs de Saraqeb. \
Les secouristes font état de 9 morts et d'une vingtaine de blessés.

À Deraa, berceau de la contestation de 2011, une voiture piégée a explosé \
près d'un poste de contrôle de l'armée syrienne, tandis que des tirs \
d'artillerie frappaient Bosra et les villages voisins de Soueïda.

Plus à l'est, les Forces démocratiques syriennes (FDS) affirment avoir \
repoussé une attaque du groupe État islamique près de Deir ez-Zor, sur la \
rive orientale de l'Euphrate, à 80 km au sud de Raqqa. À Damas, le ministère \
de la Défense a démenti toute perte sur la base aérienne de Mezzeh.

Des négociations doivent reprendre la semaine prochaine à Genève, alors que \
Moscou et Ankara discutent d'un cessez-le-feu autour de Tall Rifaat et de \
Manbij, et que Téhéran renforce sa présence près de Palmyre et de Homs.
";

/// Time one iteration batch by the CPU time of this thread (Linux, 64-bit),
/// so that other load on a shared machine does not count against the code
/// measured; wall-clock time elsewhere or with `FRONTLINE_BENCH_WALL=1`.
pub fn measure<O>(b: &mut Bencher, mut routine: impl FnMut() -> O) {
    let cpu = std::env::var_os("FRONTLINE_BENCH_WALL").is_none() && thread_cpu_time().is_some();
    if cpu {
        b.iter_custom(|iters| {
            let start = thread_cpu_time().unwrap_or_default();
            for _ in 0..iters {
                black_box(routine());
            }
            thread_cpu_time().unwrap_or_default().saturating_sub(start)
        });
    } else {
        b.iter(routine);
    }
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn thread_cpu_time() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes one timespec into `t`.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) };
    (rc == 0).then(|| Duration::new(t.tv_sec as u64, t.tv_nsec as u32))
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn thread_cpu_time() -> Option<Duration> {
    None
}
