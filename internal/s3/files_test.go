package s3_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"proportal/internal/domain"
	"proportal/internal/s3"
	"proportal/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// Each file is tagged with its retention class, which the bucket's
// lifecycle rules expire by: exports after a week, scheduled reports after
// ReportRetentionDays.
func TestPutTagsFilesByRetention(t *testing.T) {
	cfg, _ := testenv.AWSConfig(t)
	bucket := testenv.ReportsBucket(t, cfg)
	files := s3.FromConfig(cfg, bucket)
	client := awss3.NewFromConfig(cfg, func(o *awss3.Options) { o.UsePathStyle = true })
	tests := []struct {
		give string
		want string
	}{
		{give: domain.Export{OrgID: "o1", ID: "e1"}.FileKey(), want: s3.RetentionExport},
		{give: domain.Delivery{OrgID: "o1", ScheduleID: "s1", ID: "d1"}.FileKey(), want: s3.RetentionScheduled},
	}
	for _, tt := range tests {
		if err := files.Put(context.Background(), tt.give, "r.xlsx", domain.XLSXContentType, strings.NewReader("PK workbook")); err != nil {
			t.Fatalf("put %s: %v", tt.give, err)
		}
		out, err := client.GetObjectTagging(context.Background(), &awss3.GetObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String(tt.give)})
		if err != nil {
			t.Fatalf("tags of %s: %v", tt.give, err)
		}
		var got []string
		for _, tag := range out.TagSet {
			got = append(got, aws.ToString(tag.Key)+"="+aws.ToString(tag.Value))
		}
		if want := s3.RetentionTag + "=" + tt.want; len(got) != 1 || got[0] != want {
			t.Errorf("%s is tagged %v, want %s", tt.give, got, want)
		}
	}
}
