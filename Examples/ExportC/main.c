/*
 * Classifies two-moons points with the model `mgrad export moons --out DIR` wrote, without LLVM.
 *
 *   mgrad export moons --out out
 *   cc -Wall -Werror -std=c99 -I out Examples/ExportC/main.c out/moons.o -lm -o classify
 *   ./classify points.txt
 *
 * points.txt: one point a line, `x y label` (label +1 or -1; scripts/check-export writes the
 * moons fixture's 100 points). Prints `x y label score` a line (the score with %.17g, enough
 * digits to read the exact double back), then the accuracy: a point is classified right when
 * the sign of its score is its label. Every score comes from moons_predict_batch and must equal
 * moons_predict's for the same point, bit for bit; the program exits 1 if one does not.
 */
#include <stdio.h>
#include <string.h>

#include "moons.h"

#define MAX_POINTS 4096

static double inputs[MAX_POINTS * MOONS_INPUTS];
static double outputs[MAX_POINTS * MOONS_OUTPUTS];
static int labels[MAX_POINTS];

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "points.txt";
    FILE *file = fopen(path, "r");
    if (!file) {
        fprintf(stderr, "classify: cannot open %s\n", path);
        return 1;
    }
    size_t rows = 0;
    double x, y;
    int label;
    while (rows < MAX_POINTS && fscanf(file, "%lf %lf %d", &x, &y, &label) == 3) {
        inputs[rows * MOONS_INPUTS] = x;
        inputs[rows * MOONS_INPUTS + 1] = y;
        labels[rows] = label;
        rows += 1;
    }
    fclose(file);
    if (rows == 0) {
        fprintf(stderr, "classify: no points in %s\n", path);
        return 1;
    }

    moons_predict_batch(inputs, outputs, rows);
    size_t correct = 0;
    for (size_t row = 0; row < rows; row++) {
        double single[MOONS_OUTPUTS];
        moons_predict(&inputs[row * MOONS_INPUTS], single);
        double score = outputs[row * MOONS_OUTPUTS];
        if (memcmp(single, &outputs[row * MOONS_OUTPUTS], sizeof single) != 0) {
            fprintf(stderr, "classify: row %zu: moons_predict gives %.17g, the batch %.17g\n",
                    row, single[0], score);
            return 1;
        }
        int predicted = score > 0 ? 1 : -1;
        correct += predicted == labels[row];
        printf("%.17g %.17g %d %.17g\n", inputs[row * MOONS_INPUTS], inputs[row * MOONS_INPUTS + 1], labels[row], score);
    }
    printf("accuracy %zu/%zu (%.1f%%)\n", correct, rows, 100.0 * (double)correct / (double)rows);
    return 0;
}
