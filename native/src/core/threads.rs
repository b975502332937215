//! Splitting rows across threads with `std::thread::scope`.

/// Below this many bytes of data a call stays on the calling thread (spawning costs ~10-20 µs).
pub const PARALLEL_MIN_BYTES: usize = 256 * 1024;

/// Hard cap on threads per call.
pub const MAX_THREADS: usize = 256;

/// Logical CPUs available to this process (at least 1). Queried once: the query reads cgroup
/// files on Linux and costs microseconds.
pub fn available() -> usize {
    static N: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *N.get_or_init(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

/// `requested == 0` means all cores; otherwise the request, capped at [`MAX_THREADS`].
pub fn resolve(requested: u32) -> usize {
    if requested == 0 {
        available().min(MAX_THREADS)
    } else {
        (requested as usize).min(MAX_THREADS)
    }
}

/// Runs `f(first_row, rows_chunk)` over contiguous chunks of whole rows (`row_len` elements each)
/// covering `data`. Uses up to `threads` threads, and only when `data` holds at least
/// [`PARALLEL_MIN_BYTES`] bytes and more than one row; otherwise one call on the current thread.
/// The chunks depend only on `threads` and the row count, and each row is processed by exactly one
/// call, so the results do not depend on scheduling.
pub fn for_row_chunks<T, F>(data: &mut [T], row_len: usize, threads: usize, f: F)
where
    T: Send,
    F: Fn(usize, &mut [T]) + Sync,
{
    if row_len == 0 || data.is_empty() {
        return;
    }
    let rows = data.len() / row_len;
    let bytes = std::mem::size_of_val(data);
    let t = threads.max(1).min(rows);
    if t <= 1 || bytes < PARALLEL_MIN_BYTES {
        f(0, data);
        return;
    }
    let rows_per = rows.div_ceil(t);
    let f = &f;
    std::thread::scope(|s| {
        let mut chunks = data.chunks_mut(rows_per * row_len).enumerate();
        // The calling thread takes the first chunk itself.
        let first = chunks.next();
        for (i, chunk) in chunks {
            s.spawn(move || f(i * rows_per, chunk));
        }
        if let Some((_, chunk)) = first {
            f(0, chunk);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_every_row_once() {
        for threads in [1, 2, 3, 7, 64] {
            for rows in [1usize, 2, 5, 100] {
                let row_len = 1 << 14; // 64 KiB rows so that 4+ rows go parallel
                let mut d = vec![0u32; rows * row_len];
                for_row_chunks(&mut d, row_len, threads, |first, chunk| {
                    for (r, row) in chunk.chunks_mut(row_len).enumerate() {
                        for v in row.iter_mut() {
                            *v += (first + r) as u32 + 1;
                        }
                    }
                });
                for (r, row) in d.chunks(row_len).enumerate() {
                    assert!(row.iter().all(|&v| v == r as u32 + 1), "threads {threads} rows {rows}");
                }
            }
        }
    }
}
