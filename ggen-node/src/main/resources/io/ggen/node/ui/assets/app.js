(()=>{var v,Fe,Nt,U,be,de,Oe,ie,We,we,ke,Et,Y=Symbol.for("pv"),ue={},_e=[],Rt=/^m(i|n|o|s|text|space)$/,xe=Array.isArray,Pe=_e.slice,W=Object.assign;function O(t){t&&t.parentNode&&t.remove()}function b(t,e,n){var s,r,o,a={},c=arguments.length;for(o in e)o=="key"?s=e[o]:o=="ref"&&typeof t!="function"?r=e[o]:a[o]=e[o];return c>2&&(a.children=c>3?Pe.call(arguments,2):n),J(t,a,s,r,null)}function J(t,e,n,s,r){var o={type:t,props:e,key:n,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Y,__v:r||++Fe,__i:-1,__u:0};return!r&&v.vnode&&v.vnode(o),o}function pe(t){return t.children}function le(t,e){this.props=t,this.context=e,this.__g=0}function L(t,e){if(e==null)return t.__&&L(t.__,t.__i+1);for(var n;e<t.__k.length;e++)if((n=t.__k[e])&&n.__e)return n.__e;return typeof t.type!="function"||t.props.__P?null:L(t)}function At(t){var e,n=t.__v,s=n.__e,r=[],o=[],a=t.__P;a&&((e=W({constructor:Y},n)).__v=n.__v+1,v.vnode&&v.vnode(e),Te(a,e,n,t.__n,a.namespaceURI,32&n.__u?[s]:null,r,s||L(n),32&n.__u,o),e.__v=n.__v,e.__.__k[e.__i]=e,Je(r,e,o),n.__=n.__e=null,e.__e!=s&&ze(e))}function ze(t){if((t=t.__)&&t.__c&&!t.props.__P)return t.__e=null,t.__k.some(function(e){return e&&(t.__e=e.__e)}),ze(t)}function Be(t){(8&t.__g||(t.__g|=8,U.push(t),de++))&&be==v.debounceRendering||((be=v.debounceRendering)||queueMicrotask)(Ve)}function Ve(){try{for(var t,e=1;U.length;)U.length>e&&U.sort(Oe),t=U.shift(),e=U.length,8&t.__g&&At(t)}finally{(de=U.length)&&(be||queueMicrotask)(Ve)}}function Ge(t,e,n,s,r,o,a,c,l,p,d){var _,h,i,m,g,f,y=s.__k||_e,$=e.length;for(l=Dt(n,e,y,l,$),_=0;_<$;_++)(i=n.__k[_])!=null&&(h=~i.__i&&y[i.__i]||ue,i.__i=_,f=Te(t,i,h,r,o,a,c,l,p,d),m=i.__e,(h.ref!=i.ref||8&h.__u)&&(h.ref&&Ce(h.ref,null,i,h),i.ref&&d.push(i.ref,i.__c||m,i)),g=g||m,4&i.__u?(l=Ke(i,l,t,!h.__v),h.__e&&(h.__e=null)):typeof i.type=="function"&&f!==void 0?l=f:m&&(l=m.nextSibling),i.__u&=-21);return n.__e=g,l}function Dt(t,e,n,s,r){var o,a,c,l,p,d,_,h,i,m=n.length,g=m,f=0,y=0,$=t.__k=Array(r);for(o=0;o<r;o++)(a=e[o])!=null&&typeof a!="boolean"&&typeof a!="function"?(typeof a!="object"||a.constructor===String?a=$[o]=J(null,a):xe(a)?a=$[o]=J(pe,{children:a}):a.constructor===Y&&a.__b?a=$[o]=J(a.type,a.props,a.key,a.ref,a.__v):$[o]=a,l=o+f,a.__=t,a.__b=t.__b+1,c=null,~(p=a.__i=qt(a,n,l,g))&&(g--,(c=n[p])&&(c.__u|=2)),c&&c.__v?(a.__u|=16,p==l-1?f--:p==l+1?f++:p!=l&&(p>l?f--:f++,y=1)):(~p||(r>m?f--:r<m&&f++),typeof a.type!="function"&&(a.__u|=4))):$[o]=null;if(y){for(d=[],_=[],o=0;o<r;o++)if((a=$[o])&&16&a.__u){for(f=0,h=d.length;f<h;)d[i=f+h>>1]<a.__i?f=i+1:h=i;d[f]=a.__i,_[o]=f+1}for(f=d.length;o--;)_[o]&&(_[o]==f?f--:$[o].__u|=4)}if(g)for(o=0;o<m;o++)!(c=n[o])||2&c.__u||(c.__e==s&&(s=L(c)),Se(c,c));return s}function Ke(t,e,n,s){var r,o,a,c;if(typeof t.type=="function"){if(t.props.__P)return e;if(r=t.__k)for(o=0;o<r.length;o++)r[o]&&(r[o].__=t,e=Ke(r[o],e,n,!1));return e}for(e&&!e.parentNode&&(e=L(t))&&!e.parentNode&&(e=null),a=t.__e,c=e;c&&c.nodeType==8;)c=c.nextSibling;for(a!=c&&(!s&&n.moveBefore&&a.parentNode?n.moveBefore(a,e):n.insertBefore(a,e||null)),e=a;(e=e&&e.nextSibling)&&e.nodeType==8&&!e.data.startsWith("$s"););return e}function qt(t,e,n,s){var r,o=t.key,a=t.type,c=e[n],l=c&&!(2&c.__u);if(c===null&&o==null||l&&o==c.key&&a==c.type)return n;if(s>(l?1:0)){for(r=n-1;r>=0;r--)if((c=e[r])&&!(2&c.__u)&&o==c.key&&a==c.type)return r;for(r=n+1;r<e.length;r++)if((c=e[r])&&!(2&c.__u)&&o==c.key&&a==c.type)return r}return-1}function je(t,e,n){n==null&&(n=""),e[0]=="-"?t.setProperty(e,n):t[e]=n}function ae(t,e,n,s,r){var o,a;if(e=="style")if(typeof n=="string")t.style.cssText=n;else{if(typeof s=="string"&&(t.style.cssText=s=""),s)for(e in s)n&&e in n||je(t.style,e);if(n)for(e in n)s&&n[e]==s[e]||je(t.style,e,n[e])}else if(e[0]=="o"&&e[1]=="n")typeof n!="function"&&(n=null),typeof s!="function"&&(s=null),(t.__e||(t.__e={}))[e]=n,n&&s||(a=ke[e]||(ke[e]=Ht(e)),(t.__a||(t.__a={}))[e]=we,o=e!=(e=e.replace(We,"$1")),(e=e.slice(2))[0]<"a"&&(e=e.toLowerCase()),n?t.addEventListener(e,a,o):t.removeEventListener(e,a,o));else{if(r=="http://www.w3.org/2000/svg")e=e.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(e!="width"&&e!="height"&&e!="href"&&e!="list"&&e!="form"&&e!="tabIndex"&&e!="download"&&e!="rowSpan"&&e!="colSpan"&&e!="role"&&e!="popover"&&e in t)try{return void(t[e]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&e[4]!="-"?t.removeAttribute(e):t.setAttribute(e,e=="popover"&&n==1?"":n)}}function Ht(t){return function(e){var n=this.__e;if(n){if(n=n[t],e[ie]==null)e[ie]=we++;else if(e[ie]<this.__a[t])return;return n(v.event?v.event(e):e)}}}function Te(t,e,n,s,r,o,a,c,l,p){var d,_,h,i,m,g,f,y,$,P,k,ye,Ue,re,j,Le,H,F,A=e.type;if(e.constructor!==Y)return null;128&n.__u&&(l=32&n.__u,d=n.__c.__z)&&(e.__u|=l,_=o=[],d.nodeType==8?c=ce(d,o):o.push(d),c=o[0]||c),(d=v.__b)&&d(e);e:if(typeof A=="function"){h=a.length;try{if(y=e.props,$=(d=A.prototype)&&d.render,P=(d=A.contextType)&&s[d.__c],k=d?P?P.props.value:d.__:s,(i=n.__c)?(e.__c=i,2&i.__g&&(i.__g|=1)):($?e.__c=i=new A(y,k):(e.__c=i=new le(y,k),i.constructor=A,i.render=Lt),P&&P.sub(i),i.state||(i.state={}),i.__n=s,i.__g|=8,i.__h=[],i.__k=[]),$&&(i.__s||(i.__s=i.state),A.getDerivedStateFromProps&&(i.__s==i.state&&(i.__s=W({},i.__s)),W(i.__s,A.getDerivedStateFromProps(y,i.__s)))),m=i.props,g=i.state,i.__v=e,n.__c){if(y!==m&&$&&!A.getDerivedStateFromProps&&i.componentWillReceiveProps&&i.componentWillReceiveProps(y,k),e.__v==n.__v&&!(8&i.__g)||!(4&i.__g)&&i.shouldComponentUpdate&&i.shouldComponentUpdate(y,i.__s,k)===!1){e.__v!=n.__v&&(i.props=y,i.state=i.__s,i.__g&=-9),e.__e=n.__e,e.__k=n.__k,e.__k.some(function(E){E&&(E.__=e)}),_e.push.apply(i.__h,i.__k),i.__k=[],i.__h.length&&a.push(i),c=L(n);break e}i.componentWillUpdate&&i.componentWillUpdate(y,i.__s,k),$&&i.componentDidUpdate&&i.__h.push(function(){i.componentDidUpdate(m,g,f)})}else $&&!A.getDerivedStateFromProps&&i.componentWillMount&&i.componentWillMount(),$&&i.componentDidMount&&i.__h.push(i.componentDidMount);i.context=k,i.props=y,i.__P=t,i.__g&=-5,ye=v.__r,Ue=$?25:0;do i.__g&=-9,ye&&ye(e),d=i.render(i.props,i.state=i.__s,i.context);while(8&i.__g&&++Ue<25);$&&(_e.push.apply(i.__h,i.__k),i.__k=[]),i.state=i.__s,i.getChildContext&&(s=W({},s,i.getChildContext())),$&&n.__c&&i.getSnapshotBeforeUpdate&&(f=i.getSnapshotBeforeUpdate(m,g)),re=d&&d.type===pe&&d.key==null?d.props.children:d,y.__P&&(d=c,r=(t=y.__P).namespaceURI,l=o=null,n.props&&n.props.__P!=t&&(n.__k.some(function(E){E&&Se(E,E)}),n.__k=null),c=n.__k?L(n,0):null),c=Ge(t,xe(re)?re:[re],e,n,s,r,o,a,c,l,p),y.__P&&(e.__e=null,c=d),e.__u&=-161,_&&_.some(O),i.__h.length&&a.push(i),1&i.__g&&(i.__g&=-4)}catch(E){if(a.length=h,e.__v=null,l||o)if(E&&E.then){if(e.__u|=128|l,o){for(~(H=o.indexOf(c||void 0))||(H=o.length);(F=o[H-1])&&F.nodeType==8;)H--;for(;H<o.length;H++)if(F=o[H])if(o[H]=null,j){if(F==Le)break}else{if(F.nodeType!=8)break;F.data.startsWith("$s")&&(Le=ce(j=F))}}if(!j){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;j=c}(d=ce(j=e.__c.__z||(e.__c.__z=j)))?(e.__e=j,c=d):e.__e=c,c=c&&c.nextSibling}else o&&o.some(O);else e.__e=n.__e;e.__k||(e.__k=n.__k||[]),E&&E.then||Xe(e),v.__e(E,e,n)}}else c=e.__e=Ut(n.__e,e,n,s,r,o,a,l,p,t);return(d=v.diffed)&&d(e),c}function ce(t,e){if(t&&t.nodeType==8&&t.data.startsWith("$s"))for(var n=1;t=t.nextSibling;){if(t.nodeType==8){if(t.data.startsWith("$s"))n++;else if(t.data.startsWith("/$s")&&!--n)return t}e&&e.push(t)}}function Xe(t){t&&(t.__c&&(t.__c.__g|=4),t.__k&&t.__k.some(Xe))}function Je(t,e,n){for(var s=0;s<n.length;)Ce(n[s++],n[s++],n[s++]);v.__c&&v.__c(e,t),t.some(function(r){try{t=r.__h,r.__h=[],t.some(function(o){o.call(r)})}catch(o){v.__e(o,r.__v)}})}function Ut(t,e,n,s,r,o,a,c,l,p){var d,_,h,i,m,g,f,y,$=n.props||ue,P=e.props,k=e.type;if(k=="svg"?r="http://www.w3.org/2000/svg":k=="math"?r="http://www.w3.org/1998/Math/MathML":r||(r="http://www.w3.org/1999/xhtml"),o){for(d=0;d<o.length;d++)if((m=o[d])&&(k?m.localName==k:m.nodeType==3)){t=m,o[d]=null;break}}if(!t){if(y=p.ownerDocument||document,!k)return y.createTextNode(P);t=y.createElementNS(r,k,P.is?P:p),c&&(v.__m&&v.__m(e,o),c=!1),o=null}if(k){if(p=k=="template"&&t.content||t,o=k=="textarea"&&P.defaultValue!=null?null:o&&Pe.call(p.childNodes),!c&&o)for($={},d=0;d<t.attributes.length;d++)$[(m=t.attributes[d]).name]=m.value;for(d in $)m=$[d],d=="dangerouslySetInnerHTML"?h=m:d=="children"||d in P||d=="value"&&"defaultValue"in P||d=="checked"&&"defaultChecked"in P||ae(t,d,null,m,r);for(d in P)m=P[d],d=="children"?i=m:d=="dangerouslySetInnerHTML"?_=m:d=="value"?g=m:d=="checked"?f=m:c&&typeof m!="function"||$[d]===m||ae(t,d,m,$[d],r);_?(c||h&&(_.__html==h.__html||_.__html==t.innerHTML)||(t.innerHTML=_.__html),e.__k=[]):(h&&(t.textContent=""),(k=="foreignObject"||r=="http://www.w3.org/1998/Math/MathML"&&Rt.test(k))&&(r="http://www.w3.org/1999/xhtml"),Ge(p,xe(i)?i:[i],e,n,s,r,o,a,o?o[0]:n.__k&&L(n,0),c,l),o&&o.some(O)),c&&k!="textarea"||(d="value",k=="progress"&&g==null?t.removeAttribute(d):g==null||g===t[d]&&(k!="progress"||g)||ae(t,d,g,$[d],r),d="checked",f!=null&&f!=t[d]&&ae(t,d,f,$[d],r))}else $===P||c&&t.data==P||(t.data=P);return t}function Ce(t,e,n,s){try{typeof t=="function"?e?e.__x=t(e)||1:s&&(s=s.__c||s.__e)&&(e=s.__x)&&(s.__x=null,typeof e=="function"?e():t(null)):t.current=e}catch(r){v.__e(r,n)}}function Se(t,e,n){var s,r,o,a;if(v.unmount&&v.unmount(t),!(s=t.ref)||s.current&&s.current!=t.__e||Ce(s,null,e,t),s=t.__c){if(s.componentWillUnmount)try{s.componentWillUnmount()}catch(c){v.__e(c,e)}s.__P=s.__n=null}if(s=t.__k)for(a=0;a<s.length;a++)s[a]&&Se(s[a],e,typeof t.type!="function"||n&&!t.props.__P);!n&&(s=t.__c)&&(s=s.__z)&&(r=ce(s,o=[]))&&(s==t.__e&&o.some(O),O(r),O(s)),n||O(t.__e),t.__e=t.__c=t.__=null}function Lt(t,e,n){return this.constructor(t,n)}function Ye(t,e){var n,s,r,o;v.__&&v.__(t,e),e.nodeType==9&&(e=e.documentElement),s=(n=t&&32&t.__u)?null:e.__k,e.__k=J(pe,{children:[t]}),r=[],o=[],Te(e,e.__k,s||ue,ue,e.namespaceURI,s?null:e.firstChild?Pe.call(e.childNodes):null,r,s?s.__e:e.firstChild,n,o),Je(r,e.__k,o),e.__k.props.children=null}v={__e:function(t,e,n,s){for(var r,o,a;e=e.__;)if((r=e.__c)&&!(1&r.__g)){r.__g|=4;try{if((a=(o=r.constructor)&&o.getDerivedStateFromError)&&r.setState(o.getDerivedStateFromError(t)),r.componentDidCatch&&(r.componentDidCatch(t,s||{}),a=1),a&&8&r.__g)return void(r.__g|=2)}catch(c){t=c}}throw de=0,t}},Fe=0,Nt=function(t){return t!=null&&t.constructor===Y},le.prototype.setState=function(t,e){var n=this.__s;n&&n!=this.state||(n=this.__s=W({},this.state)),typeof t=="function"&&(t=t(W({},n),this.props)),t&&(W(n,t),this.__v&&(e&&this.__k.push(e),Be(this)))},le.prototype.forceUpdate=function(t){this.__v&&(this.__g|=4,t&&this.__h.push(t),Be(this))},le.prototype.render=pe,U=[],de=0,Oe=function(t,e){return t.__v.__b-e.__v.__b},ie=Symbol(),We=/(PointerCapture)$|Capture$/i,we=0,ke={},Et=0;var Ze=function(t,e,n,s){var r;e[0]=0;for(var o=1;o<e.length;o++){var a=e[o++],c=e[o]?(e[0]|=a?1:2,n[e[o++]]):e[++o];a===3?s[0]=c:a===4?s[1]=Object.assign(s[1]||{},c):a===5?(s[1]=s[1]||{})[e[++o]]=c:a===6?s[1][e[++o]]+=c+"":a?(r=t.apply(c,Ze(t,c,n,["",null])),s.push(r),c[0]?e[0]|=2:(e[o-2]=0,e[o]=r)):s.push(c)}return s},Qe=new Map;function et(t){var e=Qe.get(this);return e||(e=new Map,Qe.set(this,e)),(e=Ze(this,e.get(t)||(e.set(t,e=(function(n){for(var s,r,o=1,a="",c="",l=[0],p=function(h){o===1&&(h||(a=a.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?l.push(0,h,a):o===3&&(h||a)?(l.push(3,h,a),o=2):o===2&&a==="..."&&h?l.push(4,h,0):o===2&&a&&!h?l.push(5,0,!0,a):o>=5&&((a||!h&&o===5)&&(l.push(o,0,a,r),o=6),h&&(l.push(o,h,0,r),o=6)),a=""},d=0;d<n.length;d++){d&&(o===1&&p(),p(d));for(var _=0;_<n[d].length;_++)s=n[d][_],o===1?s==="<"?(p(),l=[l],o=3):a+=s:o===4?a==="--"&&s===">"?(o=1,a=""):a=s+a[0]:c?s===c?c="":a+=s:s==='"'||s==="'"?c=s:s===">"?(p(),o=1):o&&(s==="="?(o=5,r=a,a=""):s==="/"&&(o<5||n[d][_+1]===">")?(p(),o===3&&(l=l[0]),o=l,(l=l[0]).push(2,0,o),o=0):s===" "||s==="	"||s===`
`||s==="\r"?(p(),o=2):a+=s),o===3&&a==="!--"&&(o=4,l=l[0])}return p(),l})(t)),e),arguments,[])).length>1?e:e[0]}var u=et.bind(b);var Z,x,Me,tt,Ie=Object.is,he=0,dt=[],Ne=[],w=v,nt=w.__b,st=w.__r,ot=w.diffed,rt=w.__c,at=w.unmount,it=w.__;function Re(t,e){w.__h&&w.__h(x,t,he||e),he=0;var n=x.__H||(x.__H={__:[],__h:[]});return t>=n.__.length&&n.__.push({}),n.__[t]}function T(t){return he=1,Bt(_t,t)}function Bt(t,e,n){var s=Re(Z++,2);if(s.t=t,!s.__c&&(s.__=[n?n(e):_t(void 0,e),function(o){var a=(s.__N||s.__)[0],c=s.t(a,o);Ie(a,c)||(s.__N=[c,s.__[1]],s.__c.setState({}))}],s.__c=x,!x.__f)){x.__f=!0;var r=x.shouldComponentUpdate;x.shouldComponentUpdate=function(o,a,c){var l=this.__H;if(!l)return!0;var p=!1,d=this.props!=o;if(l.__.some(function(h){h.__N&&(p=!0,Ie(h.__[0],h.__N[0])||(d=!0))}),r){var _=r.call(this,o,a,c);return p?_||d:_}return!p||d}}return s.__}function M(t,e){var n=Re(Z++,3);!w.__s&&ut(n.__H,e)&&(n.__P=!0,n.__=t,n.u=e,x.__H.__h.push(n))}function fe(t){return he=5,jt(function(){return{current:t}},[])}function jt(t,e){var n=Re(Z++,7);return ut(n.__H,e)&&(n.__=t(),n.__H=e),n.__}function Ft(){var t;do{for(;t=Ne.shift();)try{Q(t)}catch(n){w.__e(n,{__:(t=t.__P)&&t.__v})}for(;t=dt.shift();){var e=t.__H;if(t.__P&&e)try{e.__h.some(Q),e.__h.some(Ee),e.__h=[]}catch(n){e.__h=[],w.__e(n,t.__v)}}}while(Ne.length)}w.__b=function(t){x=null,nt&&nt(t)},w.__=function(t,e){t&&e.__k&&e.__k.__m&&(t.__m=e.__k.__m),it&&it(t,e)},w.__r=function(t){st&&st(t),Z=0;var e=(x=t.__c).__H;e&&(Me==x?x.__h=[]:(e.__h.some(Q),e.__h.some(Ee),Z=0),e.__h=[],e.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),Me=x},w.diffed=function(t){ot&&ot(t);var e=t.__c;e&&e.__H&&(e.__H.__h.length&&ct(dt.push(e)),e.__H.__.some(function(n){n.u&&(n.__H=n.u)})),Me=x=null},w.__c=function(t,e){e.some(function(n){try{n.__h.some(Q),n.__h=n.__h.filter(function(s){return!s.__||Ee(s)})}catch(s){n.__h=[function(){throw s}]}}),rt&&rt(t,e)},w.unmount=function(t){at&&at(t);var e,n,s=t.__c;s&&s.__H&&(s.__H.__.some(function(r){try{if(r.__P&&r.__c){if(n===void 0){for(n=t.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}r.__P=n,ct(Ne.push(r))}else Q(r)}catch(o){e=o}}),s.__H=void 0,e&&w.__e(e,s.__v))};var lt=typeof requestAnimationFrame=="function";function Ot(t){var e,n=function(){clearTimeout(s),lt&&cancelAnimationFrame(e),setTimeout(t)},s=setTimeout(n,35);lt&&(e=requestAnimationFrame(n))}function ct(t){t!=1&&tt==w.requestAnimationFrame||((tt=w.requestAnimationFrame)||Ot)(Ft)}function Q(t){var e=x,n=t.__c;typeof n=="function"&&(t.__c=void 0,n()),x=e}function Ee(t){var e=x;t.__c=t.__(),x=e}function ut(t,e){return!t||t.length!=e.length||e.some(function(n,s){return!Ie(n,t[s])})}function _t(t,e){return typeof e=="function"?e(t):e}function ee(t,e,n=[]){let[s,r]=T({data:null,error:null,loading:!0}),o=fe(t);return o.current=t,M(()=>{let a=!1,c=null,l=async()=>{if(c=null,!a){if(document.hidden){c=setTimeout(l,e);return}try{let d=await o.current();a||r({data:d,error:null,loading:!1})}catch(d){a||r(_=>({data:_.data,error:d,loading:!1}))}a||(c=setTimeout(l,e))}};r({data:null,error:null,loading:!0}),l();let p=()=>{!document.hidden&&c!==null&&(clearTimeout(c),l())};return document.addEventListener("visibilitychange",p),()=>{a=!0,c!==null&&clearTimeout(c),document.removeEventListener("visibilitychange",p)}},n),s}function pt(){let[t,e]=T(location.hash);return M(()=>{let n=()=>e(location.hash);return window.addEventListener("hashchange",n),()=>window.removeEventListener("hashchange",n)},[]),Wt(t)}function Wt(t){let e=t.replace(/^#\/?/,""),n=e.indexOf("?"),s=n<0?e:e.slice(0,n),r=new URLSearchParams(n<0?"":e.slice(n+1));return{path:s.split("/").filter(a=>a.length>0).map(decodeURIComponent),query:r}}var te=class extends Error{constructor(e,n){super(n),this.status=e}};async function z(t,e,n){let s={method:t,headers:{Accept:"application/json"},credentials:"same-origin",cache:"no-store"};n!==void 0&&(s.headers["Content-Type"]="application/json",s.body=JSON.stringify(n));let r;try{r=await fetch(e,s)}catch{throw new te(0,"the node does not answer (is it still running?)")}let o=null;try{o=await r.json()}catch{o=null}if(!r.ok)throw r.status===401?new te(401,'this browser is not logged in to the node; run "ggen marketplace p2p ui" for a new link'):new te(r.status,o&&o.error||`the node answered ${r.status}`);return o}var I={status:()=>z("GET","/v1/status"),peers:()=>z("GET","/v1/peers?verbose=true"),routingTable:()=>z("GET","/v1/dht/routing-table"),search:t=>z("POST","/v1/search",t),packageInfo:(t,e)=>z("GET",`/v1/packages/${encodeURIComponent(t)}${e?`?version=${encodeURIComponent(e)}`:""}`),fetch:t=>z("POST","/v1/fetch",{spec:t}),fetchJob:t=>z("GET",`/v1/fetch/${encodeURIComponent(t)}`)};function C(t){if(t==null||Number.isNaN(t))return"—";let e=["B","KiB","MiB","GiB","TiB"],n=Number(t),s=0;for(;n>=1024&&s<e.length-1;)n/=1024,s++;return s===0?`${n} B`:`${n.toFixed(n<10?1:0)} ${e[s]}`}function ht(t){return t==null?"—":`${C(Math.round(t))}/s`}function N(t){return t?t.length>16?`${t.slice(0,8)}…${t.slice(-6)}`:t:""}function me(t){return t==null?"—":t<10?`${t.toFixed(1)} ms`:`${Math.round(t)} ms`}function ft(t){let e=Math.max(0,Math.floor(t)),n=Math.floor(e/86400),s=Math.floor(e%86400/3600),r=Math.floor(e%3600/60);return n>0?`${n}d ${s}h`:s>0?`${s}h ${r}m`:r>0?`${r}m ${e%60}s`:`${e}s`}function ne(t){if(!t)return"—";let e=Date.parse(t);if(Number.isNaN(e))return"—";let n=(Date.now()-e)/1e3;return n<0?"just now":n<60?`${Math.floor(n)} s ago`:n<3600?`${Math.floor(n/60)} min ago`:n<86400?`${Math.floor(n/3600)} h ago`:new Date(e).toISOString().slice(0,10)}function G(t){if(!t)return null;let e=t.bandwidth||t.traffic||t,n=e.bytes_in??e.total_in??null,s=e.bytes_out??e.total_out??null;return n===null&&s===null?null:{in:n,out:s,rateIn:e.rate_in??e.bytes_in_per_sec??null,rateOut:e.rate_out??e.bytes_out_per_sec??null}}var zt=2e3,Ae=180,oe=new Set,D=[],se={data:null,error:null},$e=null;function Vt(t){let e=G(t),n=t.dht||{},s=t.pubsub||{};for(D.push({at:Date.now(),bytesIn:e?e.in:null,bytesOut:e?e.out:null,messages:s.messages_received??0,dhtRequests:(n.requests_received??0)+(n.requests_sent??0),peers:t.connected_peers??0});D.length>Ae;)D.shift()}async function mt(){if($e=null,oe.size!==0){if(!document.hidden){try{let t=await I.status();Vt(t),se={data:t,error:null}}catch(t){se={data:se.data,error:t}}oe.forEach(t=>t(se))}oe.size>0&&$e===null&&($e=setTimeout(mt,zt))}}function ge(){let[t,e]=T(se);return M(()=>(oe.add(e),$e===null&&mt(),()=>oe.delete(e)),[]),t}function $t(){let t=[],e=D.length>0&&D[D.length-1].bytesIn!==null;for(let n=1;n<D.length;n++){let s=D[n-1],r=D[n],o=(r.at-s.at)/1e3;if(o<=0)continue;let a=(c,l)=>c===null||l===null?0:Math.max(0,l-c)/o;t.push(e?{at:r.at,a:a(s.bytesIn,r.bytesIn),b:a(s.bytesOut,r.bytesOut),peers:r.peers}:{at:r.at,a:a(s.messages,r.messages),b:a(s.dhtRequests,r.dhtRequests),peers:r.peers})}return{bytes:e,points:t}}function R({error:t}){return t?u`<div class="error-box" role="alert">${t.message||String(t)}</div>`:null}function B({what:t}){return u`<div class="loading">Loading ${t}…</div>`}function ve({children:t}){return u`<div class="empty">${t}</div>`}function K({value:t}){let e=Math.max(0,Math.min(1,Number(t)||0)),n=e>=.8?"good":e>=.5?"fair":"poor";return u`<span class="rep" title=${`reputation ${e.toFixed(3)}`}><span class="rep-bar"><span class=${`rep-fill ${n}`} style=${{width:`${Math.round(e*100)}%`}}></span></span>${Math.round(e*100)}%</span>`}function S({title:t,children:e,right:n,id:s}){return u`<section class="card" id=${s}>
    ${t?u`<div class="card-head"><h2>${t}</h2>${n||null}</div>`:null}
    <div class="card-body">${e}</div>
  </section>`}var Gt=[["","any reputation"],["0.5","≥ 50%"],["0.8","≥ 80%"],["0.9","≥ 90%"],["1","100%"]];function gt(t){let e=new URLSearchParams;t.q&&e.set("q",t.q),t.category&&e.set("category",t.category),t.tag&&e.set("tag",t.tag),t.min&&e.set("min",t.min);let n=e.toString();return`#/packages${n?`?${n}`:""}`}function vt({query:t}){let e={q:t.get("q")||"",category:t.get("category")||"",tag:t.get("tag")||"",min:t.get("min")||""},[n,s]=T(e),[r,o]=T({data:null,error:null,loading:!0}),a=gt(e),c=fe(null),l=_=>{c.current=gt(_),location.hash=c.current};M(()=>{c.current!==a&&s(e)},[a]),M(()=>{let _=!0;o(i=>({...i,loading:!0}));let h=e.tag.split(",").map(i=>i.trim()).filter(i=>i);return I.search({query:e.q,category:e.category.trim()||null,tags:h,limit:50,min_reputation:e.min===""?null:Number(e.min)}).then(i=>_&&o({data:i,error:null,loading:!1}),i=>_&&o({data:null,error:i,loading:!1})),()=>{_=!1}},[a]),M(()=>{if(n.q===e.q)return;let _=setTimeout(()=>l(n),350);return()=>clearTimeout(_)},[n.q]);let p=_=>{let h={...n,..._};s(h),l(h)},d=r.data?r.data.results:[];return u`
    <section class="hero">
      <h1>Template packs, shared peer to peer</h1>
      <p>Every pack here is signed by its publisher and served by the nodes of the network. Search this node's catalog; when it knows little, it asks its peers too.</p>
      <form class="search" onSubmit=${_=>{_.preventDefault(),p({})}} role="search">
        <input id="search-q" type="search" placeholder="Search packs: rust, cli, web…" value=${n.q} autocomplete="off"
          onInput=${_=>s({...n,q:_.currentTarget.value})} aria-label="Search packs" />
        <button type="submit" class="primary">Search</button>
      </form>
      <div class="filters">
        <label>Category <input id="filter-category" value=${n.category} placeholder="e.g. cli"
          onInput=${_=>s({...n,category:_.currentTarget.value})} onChange=${_=>p({category:_.currentTarget.value})} /></label>
        <label>Tags <input id="filter-tag" value=${n.tag} placeholder="e.g. rust, async"
          onInput=${_=>s({...n,tag:_.currentTarget.value})} onChange=${_=>p({tag:_.currentTarget.value})} /></label>
        <label>Providers
          <select id="filter-min" value=${n.min} onChange=${_=>p({min:_.currentTarget.value})}>
            ${Gt.map(([_,h])=>u`<option value=${_}>${h}</option>`)}
          </select>
        </label>
      </div>
    </section>
    <${R} error=${r.error} />
    <div class="result-meta">
      ${r.loading?"Searching…":r.data?u`<span id="result-count">${d.length} ${d.length===1?"pack":"packs"}</span>
        ${r.data.peers_asked>0?u` · asked ${r.data.peers_answered} of ${r.data.peers_asked} peers`:null}
        ${e.q?u` · ranked by relevance to “${e.q}”`:u` · the catalog of this node`}`:null}
    </div>
    ${!r.loading&&r.data&&d.length===0?u`<${ve}>
        No pack matches${e.q?u` “${e.q}”`:""}. Packs arrive as peers announce them; publish one with <code>ggen marketplace p2p publish ./my-pack</code>.
      <//>`:null}
    <ol class="hits">
      ${d.map(_=>u`
        <li class="hit" data-id=${_.id}>
          <div class="hit-main">
            <a class="hit-name" href=${`#/package/${encodeURIComponent(_.id)}`}>${_.name||_.id}</a>
            <span class="badge version">v${_.version}</span>
            ${_.source==="network"?u`<span class="badge net" title="brought in by a peer during this search">from peers</span>`:null}
            <div class="hit-id">${_.id}</div>
            <p class="hit-desc">${_.description}</p>
          </div>
          <dl class="hit-facts">
            <div><dt>Providers</dt><dd>${_.providers}</dd></div>
            <div><dt>Reputation</dt><dd>${_.providers>0?u`<${K} value=${_.avg_reputation} />`:"—"}</dd></div>
            <div><dt>Size</dt><dd>${C(_.size)}</dd></div>
            <div><dt>Publisher</dt><dd class="mono" title=${_.publisher}>${N(_.publisher)}</dd></div>
          </dl>
        </li>`)}
    </ol>`}var Kt=2e3;function De(t){let e=t.replace(/\r\n?/g,`
`).split(`
`),n=[],s=0;for(;s<e.length&&n.length<Kt;){let r=e[s];if(/^\s*$/.test(r)){s++;continue}let o=r.match(/^\s*(```|~~~)\s*([\w+-]*)/);if(o){let l=[];for(s++;s<e.length&&!e[s].trim().startsWith(o[1]);)l.push(e[s++]);s++,n.push(b("pre",{class:"code"},b("code",{"data-lang":o[2]||null},l.join(`
`))));continue}let a=r.match(/^(#{1,6})\s+(.*?)\s*#*\s*$/);if(a){n.push(b(`h${Math.min(6,a[1].length+1)}`,null,q(a[2]))),s++;continue}if(/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(r)){n.push(b("hr",null)),s++;continue}if(/^\s{0,3}>/.test(r)){let l=[];for(;s<e.length&&/^\s{0,3}>/.test(e[s]);)l.push(e[s++].replace(/^\s{0,3}>\s?/,""));n.push(b("blockquote",null,De(l.join(`
`))));continue}if(/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(r)){let l=/^\s{0,3}\d/.test(r),p=[];for(;s<e.length&&/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(e[s]);){let d=e[s++].replace(/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/,"");for(;s<e.length&&/^\s{2,}\S/.test(e[s])&&!/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(e[s]);)d+=" "+e[s++].trim();p.push(b("li",null,q(d)))}n.push(b(l?"ol":"ul",null,p));continue}if(r.includes("|")&&s+1<e.length&&/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(e[s+1])){let l=_=>_.trim().replace(/^\|/,"").replace(/\|$/,"").split("|").map(h=>h.trim()),p=l(r);s+=2;let d=[];for(;s<e.length&&e[s].includes("|")&&e[s].trim()!=="";)d.push(l(e[s++]));n.push(b("table",{class:"md-table"},b("thead",null,b("tr",null,p.map(_=>b("th",null,q(_))))),b("tbody",null,d.map(_=>b("tr",null,_.map(h=>b("td",null,q(h))))))));continue}let c=[];for(;s<e.length&&!/^\s*$/.test(e[s])&&!/^(#{1,6}\s|\s*(```|~~~)|\s{0,3}>)/.test(e[s])&&!/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(e[s]);)c.push(e[s++].trim());c.length===0&&c.push(e[s++]),n.push(b("p",null,q(c.join(" "))))}return n}function yt(t){let e=t.trim();return/^(https?:|mailto:)/i.test(e)?e:null}var bt=/(`+)([\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|\b_([^_\s][^_]*)_\b|!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<(https?:\/\/[^>\s]+)>/g;function q(t,e=0){if(e>4)return[t];let n=[],s=0,r;bt.lastIndex=0;let o=new RegExp(bt.source,"g");for(;(r=o.exec(t))!==null;){if(r.index>s&&n.push(t.slice(s,r.index)),r[1])n.push(b("code",null,r[2].trim()));else if(r[3]||r[4])n.push(b("strong",null,q(r[3]||r[4],e+1)));else if(r[5]||r[6])n.push(b("em",null,q(r[5]||r[6],e+1)));else if(r[8]!==void 0){let a=yt(r[8]),c=`[image: ${r[7]||r[8]}]`;n.push(a?b("a",{href:a,rel:"noopener noreferrer",target:"_blank"},c):c)}else if(r[10]!==void 0){let a=yt(r[10]);n.push(a?b("a",{href:a,rel:"noopener noreferrer",target:"_blank"},q(r[9],e+1)):q(r[9],e+1))}else r[11]&&n.push(b("a",{href:r[11],rel:"noopener noreferrer",target:"_blank"},r[11]));s=o.lastIndex}return s<t.length&&n.push(t.slice(s)),n}var kt={pinned:["trust-pinned","Pinned","You pinned this key as the owner of the package."],tofu:["trust-tofu","Trusted on first use","The first key this node saw publishing the package; releases signed by any other key are refused."],none:["trust-none","Unknown owner","This node has recorded no owner for the package."]};async function Xt(t){if(navigator.clipboard&&window.isSecureContext)try{return await navigator.clipboard.writeText(t),!0}catch{}let e=document.createElement("textarea");e.value=t,e.setAttribute("readonly",""),e.className="offscreen",document.body.appendChild(e),e.select();let n=!1;try{n=document.execCommand("copy")}finally{e.remove()}return n}function Jt({command:t}){let[e,n]=T(null);return u`<div class="install">
    <div class="install-label">Install</div>
    <div class="install-row">
      <code id="install-command">${t}</code>
      <button id="copy-install" class="copy" onClick=${async()=>{let r=await Xt(t);n(r?"Copied":"Select and copy"),document.body.dataset.copied=r?t:"",setTimeout(()=>n(null),2e3)}} title="Copy the command">${e||"Copy"}</button>
    </div>
  </div>`}function wt({info:t,onDone:e}){let[n,s]=T(null),[r,o]=T(null);M(()=>{if(!n||n.done)return;let l=setTimeout(async()=>{try{let p=await I.fetchJob(n.job);s(p),p.done&&(p.error?o(new Error(p.error)):e())}catch(p){o(p)}},500);return()=>clearTimeout(l)},[n]);let a=async()=>{o(null);try{s(await I.fetch(`${t.id}@${t.version}`))}catch(l){o(l)}},c=t.versions.find(l=>l.version===t.version);return u`<div class="fetch-box">
    <p>The readme and the file list come with the archive, which this node has not fetched yet${c?u` (${C(c.size)})`:""}.</p>
    ${n&&!n.done?u`<div class="progress"><div class="progress-fill" style=${{width:`${n.bytes_total?Math.round(100*n.bytes_done/n.bytes_total):5}%`}}></div></div>`:u`<button id="fetch-archive" class="primary" onClick=${a}>Fetch the archive</button>`}
    <${R} error=${r} />
  </div>`}function xt({id:t,version:e}){let[n,s]=T({data:null,error:null}),[r,o]=T(0),[a,c]=T("readme");if(M(()=>{let i=!0;return I.packageInfo(t,e).then(m=>i&&s({data:m,error:null}),m=>i&&s({data:null,error:m})),()=>{i=!1}},[t,e,r]),M(()=>{let i=setInterval(()=>!document.hidden&&o(m=>m+1),1e4);return()=>clearInterval(i)},[]),n.error)return u`<a class="back" href="#/packages">← All packs</a><${R} error=${n.error} />`;let l=n.data;if(!l)return u`<${B} what=${t} />`;let p=l.versions.find(i=>i.version===l.version),d=kt[l.publisher.trust]||kt.none,_=Object.entries(l.dependencies||{}),h=[["readme","Readme"],["versions",`Versions (${l.versions.length})`],["files",`Files${l.archive_local?` (${l.file_count})`:""}`],["deps",`Dependencies (${_.length})`]];return u`
    <a class="back" href="#/packages">← All packs</a>
    <div class="pkg-head">
      <h1 id="package-title">${l.name||l.id}</h1>
      <span class="badge version big">v${l.version}</span>
      ${p&&p.yanked?u`<span class="badge yanked big" title=${p.yank_reason}>yanked</span>`:null}
      <div class="pkg-id mono">${l.id}</div>
      <p class="pkg-desc">${l.description}</p>
      <div class="chips">
        ${l.categories.map(i=>u`<a class="chip cat" href=${`#/packages?category=${encodeURIComponent(i)}`}>${i}</a>`)}
        ${l.tags.map(i=>u`<a class="chip" href=${`#/packages?tag=${encodeURIComponent(i)}`}>#${i}</a>`)}
        ${l.keywords.map(i=>u`<span class="chip kw">${i}</span>`)}
      </div>
    </div>
    <div class="pkg-grid">
      <div class="pkg-main">
        <div class="tabs" role="tablist">
          ${h.map(([i,m])=>u`<button role="tab" class=${a===i?"tab active":"tab"} data-tab=${i} onClick=${()=>c(i)}>${m}</button>`)}
        </div>
        <div class="tab-body">
          ${a==="readme"?l.archive_local?l.readme?u`<article class="readme" id="readme">${De(l.readme)}
                ${l.readme_truncated?u`<p class="muted">(The readme is longer; the rest is in ${l.readme_path}.)</p>`:null}</article>`:u`<p class="muted">This pack has no readme.</p>`:u`<${wt} info=${l} onDone=${()=>o(i=>i+1)} />`:null}
          ${a==="versions"?u`<table class="grid" id="versions">
              <thead><tr><th>Version</th><th>Published</th><th>Size</th><th>CID</th><th></th></tr></thead>
              <tbody>${l.versions.map(i=>u`<tr class=${i.yanked?"yanked-row":""}>
                <td><a href=${`#/package/${encodeURIComponent(l.id)}?version=${encodeURIComponent(i.version)}`}>${i.version}</a></td>
                <td>${ne(i.published_at)}</td><td>${C(i.size)}</td><td class="mono" title=${i.cid}>${N(i.cid)}</td>
                <td>${i.yanked?u`<span class="badge yanked" title=${i.yank_reason||"yanked by its owner"}>yanked${i.yank_reason?`: ${i.yank_reason}`:""}</span>`:null}</td>
              </tr>`)}</tbody></table>`:null}
          ${a==="files"?l.archive_local?u`<table class="grid" id="files">
              <thead><tr><th>Path</th><th class="num">Size</th></tr></thead>
              <tbody>${l.files.map(i=>u`<tr><td class="mono">${i.path}</td><td class="num">${C(i.size)}</td></tr>`)}</tbody>
              <tfoot><tr><td>${l.file_count} files${l.file_count>l.files.length?` (first ${l.files.length} shown)`:""}</td><td class="num">${C(l.unpacked_bytes)}</td></tr></tfoot>
            </table>`:u`<${wt} info=${l} onDone=${()=>o(i=>i+1)} />`:null}
          ${a==="deps"?_.length===0?u`<p class="muted">No dependencies.</p>`:u`<table class="grid" id="deps">
              <thead><tr><th>Package</th><th>Version range</th></tr></thead>
              <tbody>${_.map(([i,m])=>u`<tr><td><a href=${`#/package/${encodeURIComponent(i)}`}>${i}</a></td><td class="mono">${m}</td></tr>`)}</tbody>
            </table>`:null}
        </div>
      </div>
      <aside class="pkg-side">
        <${Jt} command=${l.install_command} />
        <${S} title="About">
          <dl class="facts">
            <dt>License</dt><dd>${l.license||"—"}</dd>
            <dt>ggen</dt><dd class="mono">${l.ggen_compat||"any"}</dd>
            ${p?u`<dt>Published</dt><dd>${ne(p.published_at)}</dd><dt>Size</dt><dd>${C(p.size)}</dd>`:null}
            ${l.authors.length?u`<dt>Authors</dt><dd>${l.authors.join(", ")}</dd>`:null}
            ${l.homepage?u`<dt>Homepage</dt><dd><a href=${/^https?:/i.test(l.homepage)?l.homepage:null} rel="noopener noreferrer" target="_blank">${l.homepage}</a></dd>`:null}
            ${l.repository?u`<dt>Repository</dt><dd><a href=${/^https?:/i.test(l.repository)?l.repository:null} rel="noopener noreferrer" target="_blank">${l.repository}</a></dd>`:null}
          </dl>
        <//>
        <${S} title="Publisher">
          <div class="mono fingerprint" id="publisher-key" title="the publisher key's fingerprint">${l.publisher.fingerprint}</div>
          <div class=${`trust ${d[0]}`} id="trust-state" title=${d[2]}>${d[1]}</div>
          <p class="muted small">${d[2]}</p>
        <//>
        <${S} title=${`Providers (${l.providers.length})`}>
          ${l.providers.length===0?u`<p class="muted">No peer is known to serve this version yet.</p>`:u`<ul class="providers" id="providers">
            ${l.providers.map(i=>u`<li><span class="mono" title=${i.peer_id}>${N(i.peer_id)}</span>${i.self?u`<span class="badge self">this node</span>`:null}
              <${K} value=${i.reputation} /></li>`)}
          </ul>`}
        <//>
      </aside>
    </div>`}function qe(t){let e=t.connections||[];return e.length===0?"":e.some(n=>!String(n.remote_addr).includes("/p2p-circuit"))?"direct":"relayed"}function Pt(){let t=Yt(),[e,n]=T(!1);if(!t.data&&t.loading)return u`<${B} what="peers" />`;let s=t.data?t.data.peers:[],r=s.filter(a=>a.connected),o=e?s:r;return u`
    <div class="page-head">
      <h1>Peers</h1>
      <p class="muted">Peers this node is connected to now${e?", then the ones it knows from before":""}. Updated every 3 seconds.</p>
      <label class="toggle"><input type="checkbox" checked=${e} onChange=${a=>n(a.currentTarget.checked)} /> show known, unconnected peers (${s.length-r.length})</label>
    </div>
    <${R} error=${t.error} />
    ${o.length===0?u`<${ve}>No peer is connected. Start the node with <code>--bootstrap /ip4/…/tcp/…/p2p/12D3KooW…</code>, or run <code>ggen marketplace p2p bootstrap</code>.<//>`:u`
    <div class="table-wrap">
      <table class="grid peers" id="peers-table">
        <thead><tr><th>Peer</th><th>Agent</th><th>Addresses</th><th>Connection</th><th class="num">Latency</th><th>Reputation</th><th class="num">In</th><th class="num">Out</th><th>Packages</th></tr></thead>
        <tbody>
          ${o.map(a=>{let c=G(a),l=qe(a);return u`<tr class=${a.connected?"peer-row":"peer-row known"} data-peer=${a.peer_id}>
              <td class="mono" title=${a.peer_id}><span class=${`dot ${a.connected?"up":""}`}></span>${N(a.peer_id)}</td>
              <td>${a.agent_version||"—"}</td>
              <td class="mono addrs" title=${a.addresses.join(`
`)}>${a.addresses[0]||"—"}${a.addresses.length>1?u` <span class="muted">+${a.addresses.length-1}</span>`:null}</td>
              <td>${a.connected?u`<span class=${`badge ${l}`}>${l||"direct"}</span> <span class="muted">${a.direction}</span>`:u`<span class="muted">seen ${ne(a.last_seen)}</span>`}</td>
              <td class="num">${me(a.latency_ms)}</td>
              <td><${K} value=${a.reputation} /></td>
              <td class="num">${c?C(c.in):"—"}</td>
              <td class="num">${c?C(c.out):"—"}</td>
              <td class="num">${a.packages_provided}</td>
            </tr>`})}
        </tbody>
      </table>
    </div>`}`}function Yt(){return ee(()=>I.peers(),3e3)}var Ct=560,He=460,X=Ct/2,V=He/2,Tt=60;function Qt(t){return t?t.startsWith("ggen/")?"agent-ggen":t.includes("js-libp2p")||t.includes("libp2p")?"agent-js":"agent-other":"agent-unknown"}function Zt({self:t,peers:e,table:n}){let s=e.filter(l=>l.connected).slice(0,Tt),r=new Set(s.map(l=>l.peer_id)),o=new Set;(n?n.buckets:[]).forEach(l=>l.peers.forEach(p=>o.add(p.peer_id)));let a=[...o].filter(l=>!r.has(l)).slice(0,Tt),c=(l,p,d)=>{let _=-Math.PI/2+2*Math.PI*l/Math.max(1,p);return[X+d*Math.cos(_),V+d*Math.sin(_)]};return u`<svg class="graph" id="network-graph" viewBox=${`0 0 ${Ct} ${He}`} role="img" aria-label="this node and its peers">
    <circle cx=${X} cy=${V} r="200" class="ring" />
    <circle cx=${X} cy=${V} r="130" class="ring" />
    ${s.map((l,p)=>{let[d,_]=c(p,s.length,130);return u`<line x1=${X} y1=${V} x2=${d} y2=${_} class=${`link ${qe(l)==="relayed"?"relayed":""}`} />`})}
    ${a.map((l,p)=>{let[d,_]=c(p+.5,a.length,200);return u`<g class="peer-node outer"><title>${l} (in the routing table, not connected)</title><circle cx=${d} cy=${_} r="6" /></g>`})}
    ${s.map((l,p)=>{let[d,_]=c(p,s.length,130),h=_+(_>=V?24:-16);return u`<g class=${`peer-node ${Qt(l.agent_version)} ${o.has(l.peer_id)?"in-table":""}`} data-peer=${l.peer_id}>
        <title>${l.peer_id}\n${l.agent_version||"agent unknown"}\nlatency ${me(l.latency_ms)}</title>
        <circle cx=${d} cy=${_} r="13" />
        <text x=${d} y=${h} text-anchor="middle">${N(l.peer_id)}</text>
      </g>`})}
    <g class="self-node"><circle cx=${X} cy=${V} r="26" /><text x=${X} y=${V+5} text-anchor="middle">you</text></g>
    <text x="12" y=${He-12} class="caption">${t?N(t):""}</text>
  </svg>`}function en({table:t}){if(!t)return null;let n=t.buckets.reduce((d,_)=>Math.max(d,_.common_prefix),7)+1,s=new Map(t.buckets.map(d=>[d.common_prefix,d])),r=520,o=220,a=34,c=30,l=(r-a-8)/n,p=d=>o-c-(o-c-12)*Math.min(d,t.k)/t.k;return u`<svg class="buckets" id="bucket-chart" viewBox=${`0 0 ${r} ${o}`} role="img" aria-label="routing table buckets">
    ${[0,t.k/2,t.k].map(d=>u`<g class="axis"><line x1=${a} x2=${r-4} y1=${p(d)} y2=${p(d)} /><text x=${a-6} y=${p(d)+4} text-anchor="end">${d}</text></g>`)}
    ${Array.from({length:n},(d,_)=>{let h=s.get(_),i=h?h.peers.length:0,m=a+_*l+2,g=h?h.peers.filter(f=>f.connected).length:0;return u`<g class="bucket" data-bucket=${_}>
        <title>bucket ${_}: ${i} of ${t.k} peers, ${g} connected</title>
        <rect x=${m} y=${p(i)} width=${Math.max(2,l-4)} height=${o-c-p(i)} class="bar" />
        <rect x=${m} y=${p(g)} width=${Math.max(2,l-4)} height=${o-c-p(g)} class="bar live" />
        ${n<=32||_%4===0?u`<text x=${m+(l-4)/2} y=${o-c+14} text-anchor="middle" class="tick">${_}</text>`:null}
      </g>`})}
    <text x=${a} y=${o-2} class="caption">bits in common with this node's key →</text>
  </svg>`}function St(){let t=ee(()=>I.peers(),3e3),e=ee(()=>I.routingTable(),3e3);if(!t.data&&t.loading)return u`<${B} what="the network" />`;let n=t.data?t.data.peers:[],s=e.data;return u`
    <div class="page-head"><h1>Network</h1><p class="muted">This node, its connections and its DHT routing table, live.</p></div>
    <${R} error=${t.error||e.error} />
    <div class="two">
      <${S} title="Connections" right=${u`<span class="legend"><span class="key agent-ggen"></span>ggen <span class="key agent-js"></span>js-libp2p <span class="key agent-other"></span>other <span class="key outer"></span>table only</span>`}>
        <${Zt} self=${s?s.peer_id:""} peers=${n} table=${s} />
      <//>
      <${S} title="DHT routing table" right=${s?u`<span class="muted">${s.size} peers · k=${s.k} · ${s.mode} · <span class="mono">${s.protocol}</span></span>`:null}>
        <${en} table=${s} />
        <p class="muted small">Kademlia keeps up to k peers per bucket; bucket n holds peers whose keys share exactly n leading bits with this node's. Dark: connected now.</p>
        ${s&&s.buckets.length?u`<table class="grid compact" id="bucket-table"><thead><tr><th>Bucket</th><th>Peers</th></tr></thead><tbody>
          ${s.buckets.map(r=>u`<tr><td>${r.common_prefix}</td><td class="mono">${r.peers.map(o=>N(o.peer_id)).join("  ")}</td></tr>`)}
        </tbody></table>`:u`<p class="muted">The routing table is empty: no DHT server among the peers yet.</p>`}
      <//>
    </div>`}var tn=30,Mt={public:["reach-public","Public","Peers can dial this node directly."],private:["reach-private","Private","Behind NAT or a firewall: peers reach this node through relays, or not at all."],unknown:["reach-unknown","Unknown","Not determined yet: AutoNAT needs peers to dial this node back."]};function nn(){let{bytes:t,points:e}=$t(),n=1100,s=240,r=70,o=24,a=12,c=Math.max(1,...e.map(f=>Math.max(f.a,f.b))),l=Math.max(tn,e.length),p=f=>r+(n-r-8)*(f+l-e.length)/Math.max(1,l-1),d=f=>s-o-(s-o-a)*f/c,_=f=>e.map((y,$)=>`${$===0?"M":"L"}${p($).toFixed(1)},${d(y[f]).toFixed(1)}`).join(" "),h=f=>e.length<2?"":`${_(f)} L${p(e.length-1).toFixed(1)},${s-o} L${p(0).toFixed(1)},${s-o} Z`,i=f=>t?ht(f):`${f<10?f.toFixed(1):Math.round(f)}/s`,m=t?["in","out"]:["gossip messages","DHT requests"],g=e.length?e[e.length-1]:null;return u`<div>
    <div class="chart-legend"><span class="key series-a"></span>${m[0]} ${g?u`<b>${i(g.a)}</b>`:null}
      <span class="key series-b"></span>${m[1]} ${g?u`<b>${i(g.b)}</b>`:null}</div>
    <svg class="chart" id="traffic-chart" viewBox=${`0 0 ${n} ${s}`} role="img" aria-label="traffic over time">
      ${[0,.5,1].map(f=>u`<g class="axis"><line x1=${r} x2=${n-8} y1=${d(c*f)} y2=${d(c*f)} /><text x=${r-8} y=${d(c*f)+4} text-anchor="end">${i(c*f)}</text></g>`)}
      <path d=${h("a")} class="area series-a" />
      <path d=${_("a")} class="line series-a" />
      <path d=${_("b")} class="line series-b" />
      <text x=${r} y=${s-6} class="caption">the last ${Math.max(1,Math.round(l*2/60))} min (up to ${Math.round(Ae*2/60)}), sampled every 2 s while the UI is open</text>
    </svg>
    ${t?null:u`<p class="muted small">This node does not report byte counts; the chart shows the messages it handles instead.</p>`}
  </div>`}function It(){let{data:t,error:e}=ge();if(!t)return e?u`<${R} error=${e} />`:u`<${B} what="the node's status" />`;let n=Mt[t.reachability]||Mt.unknown,s=G(t);return u`
    <div class="page-head"><h1>This node</h1><p class="muted">ggen ${t.version} · up ${ft(t.uptime_secs)} · pid ${t.pid}</p></div>
    <${R} error=${e} />
    <div class="stats">
      <div class="stat"><div class="stat-v" id="stat-peers">${t.connected_peers}</div><div class="stat-k">connected peers</div></div>
      <div class="stat"><div class="stat-v">${t.known_peers}</div><div class="stat-k">known peers</div></div>
      <div class="stat"><div class="stat-v">${t.releases_known}</div><div class="stat-k">releases in the catalog</div></div>
      <div class="stat"><div class="stat-v">${t.dht?t.dht.routing_table_size:0}</div><div class="stat-k">DHT routing table</div></div>
      <div class="stat"><div class=${`stat-v reach ${n[0]}`} id="reachability" title=${n[2]}>${n[1]}</div><div class="stat-k">reachability${t.reachability?"":" (not reported)"}</div></div>
      ${s?u`<div class="stat"><div class="stat-v">${C(s.in)} / ${C(s.out)}</div><div class="stat-k">received / sent</div></div>`:null}
    </div>
    <${S} title="Traffic"><${nn} /><//>
    <div class="two">
      <${S} title="Identity">
        <dl class="facts">
          <dt>Peer ID</dt><dd class="mono" id="node-peer-id">${t.peer_id}</dd>
          <dt>API</dt><dd class="mono">127.0.0.1:${t.api_port}</dd>
          <dt>Data directory</dt><dd class="mono">${t.data_dir}</dd>
          <dt>Started</dt><dd>${t.started_at.replace("T"," ").replace(/\.\d+Z$/," UTC")}</dd>
        </dl>
      <//>
      <${S} title="Addresses">
        <h3>Listening</h3>
        <ul class="addrs-list mono">${t.listen_addrs.map(r=>u`<li>${r}</li>`)}</ul>
        <h3>Observed by peers</h3>
        ${t.observed_addrs.length?u`<ul class="addrs-list mono">${t.observed_addrs.map(r=>u`<li>${r}</li>`)}</ul>`:u`<p class="muted">None yet.</p>`}
      <//>
    </div>
    <div class="two">
      <${S} title="Gossip topics">
        ${t.pubsub&&t.pubsub.topics.length?u`<table class="grid compact" id="topics"><thead><tr><th>Topic</th><th class="num">Mesh</th><th class="num">Peers</th></tr></thead><tbody>
          ${t.pubsub.topics.map(r=>u`<tr><td class="mono">${r.topic}</td><td class="num">${r.mesh_peers}</td><td class="num">${r.topic_peers}</td></tr>`)}
        </tbody></table>`:u`<p class="muted">Not subscribed to any topic.</p>`}
        ${t.pubsub?u`<p class="muted small">${t.pubsub.messages_received} messages received, ${t.pubsub.messages_delivered} delivered, ${t.pubsub.invalid_messages} invalid.</p>`:null}
      <//>
      <${S} title="DHT">
        ${t.dht?u`<dl class="facts">
          <dt>Protocol</dt><dd class="mono">${t.dht.protocol}</dd><dt>Mode</dt><dd>${t.dht.mode}</dd>
          <dt>Queries</dt><dd>${t.dht.queries} (mean ${t.dht.mean_hops.toFixed(1)} hops)</dd>
          <dt>Requests</dt><dd>${t.dht.requests_sent} sent (${t.dht.request_failures} failed), ${t.dht.requests_received} received</dd>
          <dt>Stored</dt><dd>${t.dht.records_stored} records, ${t.dht.provider_keys} provider keys</dd>
        </dl>`:null}
      <//>
    </div>
    <${S} title="Protocols">
      <div class="chips">${t.protocols.map(r=>u`<span class="chip mono">${r}</span>`)}</div>
    <//>`}var sn=[["packages","Packages"],["peers","Peers"],["network","Network"],["node","Node"]];function on({section:t}){let e=ge(),n=e.data;return u`
    <header class="top">
      <div class="top-inner">
        <a class="brand" href="#/packages"><img src="favicon.svg" alt="" width="26" height="26" /><span>ggen</span><small>marketplace</small></a>
        <nav>
          ${sn.map(([s,r])=>u`<a href=${`#/${s}`} class=${t===s?"active":""} data-nav=${s}>${r}</a>`)}
        </nav>
        <div class="node-chip" title=${n?n.peer_id:""}>
          <span class=${`dot ${e.error?"down":n?"up":""}`}></span>
          ${e.error?"node unreachable":n?u`${N(n.peer_id)} · ${n.connected_peers} peer${n.connected_peers===1?"":"s"}`:"connecting…"}
        </div>
      </div>
    </header>`}function rn(){let{path:t,query:e}=pt(),n=t[0]||"packages",s;switch(n){case"package":s=u`<${xt} id=${t[1]||""} version=${e.get("version")||""} />`;break;case"peers":s=u`<${Pt} />`;break;case"network":s=u`<${St} />`;break;case"node":s=u`<${It} />`;break;default:s=u`<${vt} query=${e} />`}return u`
    <${on} section=${n==="package"?"packages":n} />
    <main class="page">${s}</main>
    <footer class="foot">Served by your own node on 127.0.0.1 · nothing on this page comes from anywhere else</footer>`}Ye(u`<${rn} />`,document.getElementById("app"));})();
