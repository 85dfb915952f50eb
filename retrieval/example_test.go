package retrieval_test

import (
	"context"
	"fmt"

	"github.com/askdocs/askdocs/retrieval"
	"github.com/askdocs/askdocs/seeds"
)

func ExampleIndex_Search() {
	ctx := context.Background()
	ix, _, err := retrieval.Build(ctx, seeds.FS, retrieval.Options{})
	if err != nil {
		panic(err)
	}
	defer ix.Close()

	a, _ := ix.Search(ctx, "VN dành bao nhiêu suất học bổng cho Lào?", 1)
	r := a.Results[0]
	fmt.Printf("%s:%d\n%s\n", r.Source, r.Line, r.Excerpt)

	a, _ = ix.Search(ctx, "Công thức nấu phở bò", 1)
	fmt.Println("answered:", a.Answered)
	// Output:
	// 004_2b285149d3990448.txt:37
	// Chính phủ Việt Nam tiếp tục dành 1.300 suất học bổng cho cán bộ, học sinh Lào sang học tập tại Việt Nam; tiếp tục cử giáo viên sang giảng dạy tiếng Việt tại Lào.
	// answered: false
}
