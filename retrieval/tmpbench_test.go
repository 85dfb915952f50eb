package retrieval

import (
	"context"
	"testing"
)

func BenchmarkTmpSeeds(b *testing.B) {
	ix := seedIndex(b)
	qs := []string{"Thương mại Việt - Lào quý 1/2024 đạt bao nhiêu?", "hop tac quoc phong an ninh", "hoc bong cho sinh vien lao", "Giá vàng SJC hôm nay bao nhiêu?"}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.Search(ctx, qs[i%len(qs)], 3)
	}
}
