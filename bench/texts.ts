// What the load sends. FAQ questions the dev knowledge base answers from memory, and complaints that name a
// district and street, so with CONFIRM_COMPLAINTS=0 each one becomes a ticket at once (no confirmation turn).
// Several categories and streets, so duplicate clustering sees realistic candidates rather than one hot spot.
export const FAQ_TEXTS = [
  '社保卡丢了怎么补办',
  '公积金怎么提取',
  '居住证怎么办理',
  '护照过期了怎么换',
];

export const COMPLAINT_TEXTS = [
  '朝阳区望京街道路灯坏了好几天了',
  '海淀区中关村街道小区门口垃圾没人清运',
  '西城区金融街街道楼下餐馆油烟扰民',
  '东城区东华门街道施工噪音半夜不停',
  '丰台区卢沟桥街道路面塌陷有个大坑',
  '朝阳区三里屯街道共享单车堆满人行道',
  '海淀区学院路街道暖气不热家里才15度',
  '昌平区回龙观街道公交站牌被撞坏了',
  '通州区永顺镇小区停水两天了没人管',
  '大兴区亦庄镇工地渣土车夜间扰民',
];
